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

    /// <summary>
    /// Every column of the deal a decision reads. A change to any of them must be decided again, so they are
    /// the Update step's filtering attributes and its pre-image (<see cref="PluginSteps.RequirePartnerOnUpdate"/>).
    /// </summary>
    public static IReadOnlyList<string> DealColumns { get; } = new[]
    {
        OpportunityColumns.CustomerId, OpportunityColumns.ParentAccountId, OpportunityColumns.PartnerId,
        OpportunityColumns.EstimatedValue, OpportunityColumns.TransactionCurrencyId,
    };

    /// <summary>The customer and partner facts; the deal's base value is added by <see cref="WithBaseValue"/> when a rule needs it.</summary>
    public static ChannelFacts Read(IOrganizationService service, RecordState deal)
    {
        var customerRef = ResolveCustomerAccount(service, deal);
        var partnerRef = deal.Get<EntityReference>(OpportunityColumns.PartnerId);

        if (customerRef is null && partnerRef is null)
        {
            return new ChannelFacts(null, DealFacts.None);
        }

        var rows = QueryAccounts(service, customerRef?.Id, partnerRef?.Id);

        var customer = customerRef is null ? null : CustomerFrom(customerRef, rows);
        var partner = partnerRef is null ? null : PartnerFrom(partnerRef, rows);
        return new ChannelFacts(customer, new DealFacts(partner, null));
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
    /// The deal's value in base currency, worked out from what a client sends: <c>estimatedvalue</c> and the
    /// deal's currency (<c>transactioncurrencyid</c>), from the Target or else the pre-image. The platform
    /// fills <c>exchangerate</c> and <c>estimatedvalue_base</c> only in its main operation, after this
    /// PreOperation step, so neither is read. Microsoft Learn, "Transaction currency (currency) table":
    /// <c>{money}_base = {money} / exchangerate</c>, the exchange rate being the currency's units per base unit.
    /// A deal without a currency is taken to be in the organization's base currency (rate 1, no call).
    /// <paramref name="exchangeRate"/> is asked only when the deal has a value and a currency.
    /// Unknown (null) when there is no value or the currency has no positive rate.
    /// </summary>
    public static ChannelFacts WithBaseValue(ChannelFacts facts, RecordState deal, Func<Guid, decimal?> exchangeRate)
    {
        var value = Values.Decimal(deal.Value(OpportunityColumns.EstimatedValue));
        if (value is null)
        {
            return facts;
        }

        decimal? baseValue = value;
        if (deal.Get<EntityReference>(OpportunityColumns.TransactionCurrencyId) is EntityReference currency)
        {
            baseValue = exchangeRate(currency.Id) is decimal rate && rate > 0m ? value.Value / rate : null;
        }

        return facts with { Deal = facts.Deal with { EstimatedValueBase = baseValue } };
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
        // One row per account: the assigned-partner link is many-to-one, and an account that is both the named
        // partner and in the customer's hierarchy is still one row.
        foreach (var row in service.RetrieveMultiple(query).Entities)
        {
            rows[row.Id] = row;
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

        // Every account row has a state: none through the outer link means the assigned partner no longer exists.
        if (Values.Int(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.StateCode)) is not int state)
        {
            return PartnerFacts.Missing(reference.Id);
        }

        var type = Values.Int(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.RelationshipType));
        var name = Values.Text(Values.Attribute(customerRow, AssignedAlias + "." + AccountColumns.Name)) ?? reference.Name;
        return new PartnerFacts(reference.Id, name, type, state == AccountColumns.Active);
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
