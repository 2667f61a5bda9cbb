using System.Globalization;
using System.Text;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// The query engine reads rows by key when the filter pins the primary id column to a finite set of values
/// (Equal, In, an Or of those, an And with such a branch) instead of scanning the table. These tests run each
/// query twice, with the key lookup and with it switched off (a full scan), and require the same pages: rows,
/// their order and columns, MoreRecords, paging cookies and total counts.
/// </summary>
public sealed class PrimaryKeyLookupTests
{
    private const int AccountCount = 30;

    private readonly DataverseOrg _org;
    private readonly IOrganizationService _service;

    /// <summary>The same rows in an org that never uses the key lookup (DataverseOrgOptions.UsePrimaryKeyLookup = false).</summary>
    private readonly DataverseOrg _scanOrg;
    private readonly List<Guid> _accounts = new();

    public PrimaryKeyLookupTests()
    {
        _org = DataverseOrg.Create();
        _service = _org.GetService();
        for (var i = 0; i < AccountCount; i++)
        {
            // Names repeat every 10 rows, so name orders need the id tie-breaker.
            var entity = new Entity("account") { ["name"] = $"Account {i % 10:D2}" };
            if (i % 4 != 0)
            {
                entity["numberofemployees"] = i % 5;
            }

            _accounts.Add(_service.Create(entity));
        }

        for (var i = 0; i < AccountCount; i += 3)
        {
            foreach (var first in new[] { "Ann", "Bob" })
            {
                _service.Create(new Entity("contact") { ["firstname"] = $"{first} {i:D2}", ["parentcustomerid"] = new EntityReference("account", _accounts[i]) });
            }
        }

        using var state = new MemoryStream();
        _org.Save(state);
        state.Position = 0;
        _scanOrg = DataverseOrg.Load(state, new DataverseOrgOptions { UsePrimaryKeyLookup = false });
    }

    public static TheoryData<string> Cases() => new()
    {
        "equal", "equal-on-table-name", "in", "in-strings", "or-chain", "or-root", "and-other-condition", "and-two-sets",
        "and-empty-child", "inner-link", "left-outer-link-with-orders", "exists-link", "paging", "paging-total-count",
        "missing-id", "duplicates", "top", "distinct", "or-with-other-column",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Key_lookup_answers_exactly_as_the_scan(string name)
    {
        var withLookup = Run(name, lookup: true, out var examinedWithLookup, out var executions);
        var withScan = Run(name, lookup: false, out var examinedWithScan, out _);

        Assert.Equal(withScan, withLookup);
        Assert.Contains(withScan, page => !page.EndsWith(" rows=", StringComparison.Ordinal));
        Assert.Equal((long)AccountCount * executions, examinedWithScan);
        if (name == "or-with-other-column")
        {
            // One branch is not on the key, so the filter does not limit the ids: the engine scans.
            Assert.Equal(examinedWithScan, examinedWithLookup);
        }
        else
        {
            Assert.True(examinedWithLookup <= 12L * executions, $"{name}: examined {examinedWithLookup} rows in {executions} queries");
        }
    }

    [Fact]
    public void A_batch_read_of_100_ids_examines_only_those_rows()
    {
        var org = DataverseOrg.Create();
        var ids = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToList();
        org.Seed(ids.Select((id, i) => new Entity("account", id) { ["name"] = $"Account {i:D4}" }));
        var service = org.GetService();
        var batch = ids.Skip(400).Take(100).ToList();

        // The console's shape: $filter=accountid eq g1 or accountid eq g2 or ... becomes an Or filter under the root.
        var orChain = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        var or = new FilterExpression(LogicalOperator.Or);
        batch.ForEach(id => or.AddCondition("accountid", ConditionOperator.Equal, id));
        orChain.Criteria.AddFilter(or);
        var before = org.Statistics.QueryRowsExamined;
        var rows = service.RetrieveMultiple(orChain).Entities;
        Assert.Equal(100, org.Statistics.QueryRowsExamined - before);
        Assert.Equal(batch.OrderBy(id => id), rows.Select(e => e.Id).OrderBy(id => id));

        // Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=[...]) carries the ids as strings,
        // here with one id repeated and one that does not exist.
        var values = batch.Select(id => (object)id.ToString()).Append(batch[0].ToString()).Append(Guid.NewGuid().ToString()).ToArray();
        var inQuery = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        inQuery.Criteria.AddCondition("accountid", ConditionOperator.In, values);
        before = org.Statistics.QueryRowsExamined;
        rows = service.RetrieveMultiple(inQuery).Entities;
        Assert.Equal(100, org.Statistics.QueryRowsExamined - before);
        Assert.Equal(100, rows.Count);

        // Without the lookup the same query reads the whole table.
        using var state = new MemoryStream();
        org.Save(state);
        state.Position = 0;
        var scanning = DataverseOrg.Load(state, new DataverseOrgOptions { UsePrimaryKeyLookup = false });
        Assert.Equal(100, scanning.GetService().RetrieveMultiple(inQuery).Entities.Count);
        Assert.Equal(1000, scanning.Statistics.QueryRowsExamined);
    }

    [Fact]
    public void A_key_condition_with_the_wrong_case_is_still_refused()
    {
        // Logical names are case-sensitive in queries (the engine's FindExact rule): "AccountId" is unknown.
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("AccountId", ConditionOperator.Equal, _accounts[0]);
        var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => _service.RetrieveMultiple(query));
        Assert.Contains("AccountId", fault.Detail.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs the named case, following paging cookies to the last page; one line per page.</summary>
    private List<string> Run(string name, bool lookup, out long examined, out int executions)
    {
        var org = lookup ? _org : _scanOrg;
        var service = org.GetService();
        var before = org.Statistics.QueryRowsExamined;
        var pages = new List<string>();
        var query = Build(name);
        executions = 0;
        while (true)
        {
            var page = service.RetrieveMultiple(query);
            executions++;
            var line = new StringBuilder()
                .Append("more=").Append(page.MoreRecords)
                .Append(" total=").Append(page.TotalRecordCount)
                .Append(" limit=").Append(page.TotalRecordCountLimitExceeded)
                .Append(" cookie=").Append(page.PagingCookie)
                .Append(" rows=");
            foreach (var entity in page.Entities)
            {
                line.Append(Describe(entity)).Append(';');
            }

            pages.Add(line.ToString());
            if (!page.MoreRecords || query.PageInfo.Count == 0)
            {
                break;
            }

            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }

        examined = org.Statistics.QueryRowsExamined - before;
        return pages;
    }

    private QueryExpression Build(string name)
    {
        var a = _accounts;
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name", "numberofemployees") };
        FilterExpression OrOf(params Guid[] ids)
        {
            var or = new FilterExpression(LogicalOperator.Or);
            foreach (var id in ids)
            {
                or.AddCondition("accountid", ConditionOperator.Equal, id);
            }

            return or;
        }

        switch (name)
        {
            case "equal":
                query.Criteria.AddCondition("accountid", ConditionOperator.Equal, a[3]);
                break;
            case "equal-on-table-name":
                query.Criteria.AddCondition("account", "accountid", ConditionOperator.Equal, a[5]);
                break;
            case "in":
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[1], a[4], a[7], a[12]);
                break;
            case "in-strings":
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[2].ToString(), a[9].ToString());
                break;
            case "or-chain":
                query.Criteria.AddFilter(OrOf(a[0], a[6], a[11], a[17], a[29]));
                break;
            case "or-root":
                query.Criteria = OrOf(a[8], a[10], a[20]);
                break;
            case "and-other-condition":
                query.Criteria.AddFilter(OrOf(a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]));
                query.Criteria.AddCondition("numberofemployees", ConditionOperator.GreaterEqual, 2);
                break;
            case "and-two-sets":
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[1], a[2], a[3], a[4]);
                query.Criteria.AddFilter(OrOf(a[3], a[4], a[5]));
                break;
            case "and-empty-child":
                query.Criteria.AddFilter(new FilterExpression(LogicalOperator.Or));
                query.Criteria.AddCondition("accountid", ConditionOperator.Equal, a[14]);
                break;
            case "inner-link":
            {
                query.Criteria.AddFilter(OrOf(a[0], a[1], a[3], a[6], a[9]));
                var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.Inner);
                link.EntityAlias = "c";
                link.Columns = new ColumnSet("firstname");
                query.AddOrder("name", OrderType.Descending);
                break;
            }

            case "left-outer-link-with-orders":
            {
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[0], a[1], a[2], a[3], a[10], a[12]);
                var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.LeftOuter);
                link.Columns = new ColumnSet("firstname");
                link.Orders.Add(new OrderExpression("firstname", OrderType.Descending));
                query.AddOrder("name", OrderType.Ascending);
                break;
            }

            case "exists-link":
            {
                query.Criteria.AddFilter(OrOf(a[0], a[1], a[2], a[3], a[4]));
                var link = query.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.Exists);
                link.LinkCriteria.AddCondition("firstname", ConditionOperator.BeginsWith, "Bob");
                break;
            }

            case "paging":
                query.Criteria.AddFilter(OrOf(a[0], a[2], a[4], a[6], a[8], a[10], a[12], a[14], a[16], a[18], a[20], a[22]));
                query.AddOrder("name", OrderType.Ascending);
                query.PageInfo = new PagingInfo { Count = 5, PageNumber = 1 };
                break;
            case "paging-total-count":
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[1], a[3], a[5], a[7], a[9], a[11], a[13]);
                query.PageInfo = new PagingInfo { Count = 4, PageNumber = 1, ReturnTotalRecordCount = true };
                break;
            case "missing-id":
                query.Criteria.AddFilter(OrOf(a[5], Guid.NewGuid(), a[25]));
                break;
            case "duplicates":
                query.Criteria.AddFilter(OrOf(a[5], a[5], a[6]));
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[5], a[6], a[6], a[7]);
                break;
            case "top":
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[10], a[11], a[12], a[13], a[14], a[15]);
                query.AddOrder("numberofemployees", OrderType.Descending);
                query.TopCount = 3;
                break;
            case "distinct":
                query.ColumnSet = new ColumnSet("name");
                query.Distinct = true;
                query.Criteria.AddCondition("accountid", ConditionOperator.In, a[1], a[11], a[21], a[2], a[12]);
                break;
            case "or-with-other-column":
            {
                var or = OrOf(a[1], a[2]);
                or.AddCondition("name", ConditionOperator.Equal, "Account 05");
                query.Criteria.AddFilter(or);
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown case.");
        }

        return query;
    }

    private static string Describe(Entity entity)
    {
        var text = new StringBuilder().Append(entity.LogicalName).Append(':').Append(entity.Id);
        foreach (var pair in entity.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(',').Append(pair.Key).Append('=').Append(ValueText(pair.Value));
        }

        return text.ToString();
    }

    private static string ValueText(object? value) => value switch
    {
        AliasedValue aliased => $"{aliased.EntityLogicalName}.{aliased.AttributeLogicalName}:{ValueText(aliased.Value)}",
        EntityReference reference => $"{reference.LogicalName}/{reference.Id}",
        OptionSetValue option => option.Value.ToString(CultureInfo.InvariantCulture),
        Money money => money.Value.ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "null",
    };
}
