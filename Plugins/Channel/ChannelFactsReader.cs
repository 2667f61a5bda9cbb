using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>
/// Reads the facts of one opportunity: the state under decision, then the customer account, its ancestors
/// and its assigned partner, and the named partner, all in ONE query: accounts that are the customer or
/// above it in the parent-account hierarchy ("eq-or-above"), or are the named partner, with an outer link
/// to each row's assigned partner. A contact customer whose deal has no account costs one more call (the
/// contact's parent account). No customer and no partner: no call.
/// </summary>
internal static class ChannelFactsReader
{
    private const string AssignedAlias = "assignedpartner";

    private static readonly string[] AccountFields =
    {
        AccountColumns.Id, AccountColumns.Name, AccountColumns.RevenueBase, AccountColumns.NumberOfEmployees,
        AccountColumns.Country, AccountColumns.StateOrProvince, AccountColumns.ParentAccountId,
        AccountColumns.AssignedPartnerId, AccountColumns.RelationshipType, AccountColumns.StateCode,
    };

    private static readonly string[] PartnerFields = { AccountColumns.Name, AccountColumns.RelationshipType, AccountColumns.StateCode };

    public static ChannelFacts Read(IOrganizationService service, RecordState deal)
    {
        var customerRef = ResolveCustomerAccount(service, deal);
        var partnerRef = deal.Get<EntityReference>(OpportunityColumns.PartnerId);
        var dealValue = EstimatedValueBase(deal);

        if (customerRef is null && partnerRef is null)
        {
            return new ChannelFacts(null, new DealFacts(null, dealValue));
        }

        var rows = QueryAccounts(service, customerRef?.Id, partnerRef?.Id);

        var customer = customerRef is null ? null : CustomerFrom(customerRef, rows);
        var partner = partnerRef is null ? null : PartnerFrom(partnerRef, rows);
        return new ChannelFacts(customer, new DealFacts(partner, dealValue));
    }

    /// <summary>Step 1 of DESIGN §1: customerid when it is an account, else parentaccountid, else the contact's parent account.</summary>
    private static EntityReference? ResolveCustomerAccount(IOrganizationService service, RecordState deal)
    {
        var customer = deal.Get<EntityReference>(OpportunityColumns.CustomerId);
        if (customer is not null && customer.LogicalName == AccountColumns.Table)
        {
            return customer;
        }

        var parentAccount = deal.Get<EntityReference>(OpportunityColumns.ParentAccountId);
        if (parentAccount is not null)
        {
            return parentAccount;
        }

        if (customer is not null && customer.LogicalName == ContactColumns.Table)
        {
            var contact = service.Retrieve(ContactColumns.Table, customer.Id, new ColumnSet(new[] { ContactColumns.ParentCustomerId }));
            var parent = Values.Reference(Values.Attribute(contact, ContactColumns.ParentCustomerId));
            if (parent is not null && parent.LogicalName == AccountColumns.Table)
            {
                return parent;
            }
        }

        return null;
    }

    /// <summary>
    /// The deal value in base currency: the stored base value unless this operation changed the value, in
    /// which case it is the new value divided by the exchange rate (the platform computes the base value
    /// only after the pre-operation stage). Unknown when neither can be worked out.
    /// </summary>
    private static decimal? EstimatedValueBase(RecordState deal)
    {
        var valueChanged = deal.IsInTarget(OpportunityColumns.EstimatedValue);
        var baseValue = Values.Decimal(deal.Value(OpportunityColumns.EstimatedValueBase));
        if (baseValue is not null && (!valueChanged || deal.IsInTarget(OpportunityColumns.EstimatedValueBase)))
        {
            return baseValue;
        }

        var value = Values.Decimal(deal.Value(OpportunityColumns.EstimatedValue));
        var rate = Values.Decimal(deal.Value(OpportunityColumns.ExchangeRate));
        if (value is null)
        {
            return null;
        }

        if (rate is decimal r && r > 0m)
        {
            return decimal.Round(value.Value / r, 2);
        }

        return null;
    }

    private static Dictionary<Guid, Entity> QueryAccounts(IOrganizationService service, Guid? customerId, Guid? partnerId)
    {
        var query = new QueryExpression(AccountColumns.Table)
        {
            ColumnSet = new ColumnSet(AccountFields),
            Criteria = new FilterExpression(LogicalOperator.Or),
        };

        if (customerId is Guid customer)
        {
            query.Criteria.AddCondition(AccountColumns.Id, ConditionOperator.AboveOrEqual, customer);
        }

        if (partnerId is Guid partner)
        {
            query.Criteria.AddCondition(AccountColumns.Id, ConditionOperator.Equal, partner);
        }

        var assigned = query.AddLink(AccountColumns.Table, AccountColumns.AssignedPartnerId, AccountColumns.Id, JoinOperator.LeftOuter);
        assigned.EntityAlias = AssignedAlias;
        assigned.Columns = new ColumnSet(PartnerFields);

        var rows = new Dictionary<Guid, Entity>();
        foreach (var row in service.RetrieveMultiple(query).Entities)
        {
            var id = row.Id != Guid.Empty ? row.Id : Values.Id(Values.Attribute(row, AccountColumns.Id)) ?? Guid.Empty;
            if (id != Guid.Empty && !rows.ContainsKey(id))
            {
                rows.Add(id, row);
            }
        }

        return rows;
    }

    private static CustomerFacts CustomerFrom(EntityReference reference, Dictionary<Guid, Entity> rows)
    {
        if (!rows.TryGetValue(reference.Id, out var row))
        {
            // The account could not be read: the decision knows its id (named-account rules) and nothing else.
            return new CustomerFacts(reference.Id, reference.Name);
        }

        return new CustomerFacts(reference.Id, Values.Text(Values.Attribute(row, AccountColumns.Name)) ?? reference.Name)
        {
            AnnualRevenueBase = Values.Decimal(Values.Attribute(row, AccountColumns.RevenueBase)),
            Employees = Values.Int(Values.Attribute(row, AccountColumns.NumberOfEmployees)),
            Country = Values.Text(Values.Attribute(row, AccountColumns.Country)),
            StateOrProvince = Values.Text(Values.Attribute(row, AccountColumns.StateOrProvince)),
            AncestorAccountIds = Ancestors(reference.Id, rows),
            AssignedPartner = AssignedPartnerOf(row),
            RelationshipType = Values.Int(Values.Attribute(row, AccountColumns.RelationshipType)),
            IsActive = (Values.Int(Values.Attribute(row, AccountColumns.StateCode)) ?? AccountColumns.Active) == AccountColumns.Active,
        };
    }

    /// <summary>Walks parentaccountid upwards through the rows the query returned, nearest first, stopping on a loop.</summary>
    private static IReadOnlyList<Guid> Ancestors(Guid customerId, Dictionary<Guid, Entity> rows)
    {
        var ancestors = new List<Guid>();
        var current = customerId;
        while (rows.TryGetValue(current, out var row)
            && Values.Reference(Values.Attribute(row, AccountColumns.ParentAccountId)) is EntityReference parent
            && parent.Id != customerId
            && !ancestors.Contains(parent.Id))
        {
            ancestors.Add(parent.Id);
            current = parent.Id;
        }

        return ancestors;
    }

    private static PartnerFacts? AssignedPartnerOf(Entity customerRow)
    {
        var reference = Values.Reference(Values.Attribute(customerRow, AccountColumns.AssignedPartnerId));
        if (reference is null)
        {
            return null;
        }

        var state = Values.Int(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.StateCode));
        var type = Values.Int(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.RelationshipType));
        var name = Values.Text(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.Name)) ?? reference.Name;
        if (state is null && type is null && name is null)
        {
            return PartnerFacts.Missing(reference.Id);
        }

        return new PartnerFacts(reference.Id, name, type, (state ?? AccountColumns.Active) == AccountColumns.Active);
    }

    private static PartnerFacts PartnerFrom(EntityReference reference, Dictionary<Guid, Entity> rows)
    {
        if (!rows.TryGetValue(reference.Id, out var row))
        {
            return PartnerFacts.Missing(reference.Id, reference.Name);
        }

        return new PartnerFacts(
            reference.Id,
            Values.Text(Values.Attribute(row, AccountColumns.Name)) ?? reference.Name,
            Values.Int(Values.Attribute(row, AccountColumns.RelationshipType)),
            (Values.Int(Values.Attribute(row, AccountColumns.StateCode)) ?? AccountColumns.Active) == AccountColumns.Active);
    }
}
