using Microsoft.Extensions.Time.Testing;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// Aggregate FetchXML as Microsoft Learn's "Aggregate data using FetchXml" page
/// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data) describes it, on the page's own
/// example: ten accounts, one of them with no number of employees and no city, created on 25 March 2023 (nine) and
/// 27 August 2023 (one). Results come back over the SDK as AliasedValues keyed by alias.
/// </summary>
public sealed class AggregateTests
{
    private static readonly (string Name, int? Employees, string? City)[] Accounts =
    {
        ("Contoso Pharmaceuticals (sample)", 1500, "Redmond"),
        ("Fabrikam, Inc. (sample)", 2700, "Lynnwood"),
        ("Blue Yonder Airlines (sample)", 2900, "Los Angeles"),
        ("City Power & Light (sample)", 2900, "Redmond"),
        ("Coho Winery (sample)", 3900, "Phoenix"),
        ("Adventure Works (sample)", 4300, "Santa Cruz"),
        ("Alpine Ski House (sample)", 4800, "Missoula"),
        ("Litware, Inc. (sample)", 6000, "Dallas"),
        ("A. Datum Corporation (sample)", 6200, "Redmond"),
    };

    private static readonly Lazy<DataverseOrg> ExampleOrg = new(() =>
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2023, 3, 25, 10, 0, 0, TimeSpan.Zero));
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = clock });
        foreach (var (name, employees, city) in Accounts)
        {
            org.Seed(new Entity("account") { ["name"] = name, ["numberofemployees"] = employees, ["address1_city"] = city });
        }

        clock.Advance(new DateTime(2023, 8, 27, 10, 0, 0) - new DateTime(2023, 3, 25, 10, 0, 0));
        org.Seed(new Entity("account") { ["name"] = "Example Account" });
        return org;
    });

    private static EntityCollection Run(string fetch) => ExampleOrg.Value.GetService().RetrieveMultiple(new FetchExpression(fetch));

    private static object? Value(Entity row, string alias) => row.Contains(alias) ? Assert.IsType<AliasedValue>(row[alias]).Value : null;

    // The page's first example: avg 3,911, count 10, countcolumn 9, max 6,200, min 1,500, sum 35,200 ("Null values
    // aren't considered when calculating aggregate values"; count counts rows).
    [Fact]
    public void Aggregates_OfTheExample()
    {
        var row = Assert.Single(Run("""
            <fetch aggregate='true'><entity name='account'>
              <attribute name='numberofemployees' alias='Average' aggregate='avg'/>
              <attribute name='numberofemployees' alias='Count' aggregate='count'/>
              <attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn'/>
              <attribute name='numberofemployees' alias='Maximum' aggregate='max'/>
              <attribute name='numberofemployees' alias='Minimum' aggregate='min'/>
              <attribute name='numberofemployees' alias='Sum' aggregate='sum'/>
            </entity></fetch>
            """).Entities);

        Assert.Equal(3911, Value(row, "Average"));
        Assert.Equal(10, Value(row, "Count"));
        Assert.Equal(9, Value(row, "ColumnCount"));
        Assert.Equal(6200, Value(row, "Maximum"));
        Assert.Equal(1500, Value(row, "Minimum"));
        Assert.Equal(35200, Value(row, "Sum"));
        var aliased = (AliasedValue)row["Sum"];
        Assert.Equal(("account", "numberofemployees"), (aliased.EntityLogicalName, aliased.AttributeLogicalName));
    }

    // "Distinct column values": countcolumn with distinct='true' counts 8, not 9 (two rows have 2,900).
    [Fact]
    public void CountColumn_Distinct()
    {
        var row = Assert.Single(Run("<fetch aggregate='true'><entity name='account'><attribute name='numberofemployees' alias='ColumnCount' aggregate='countcolumn' distinct='true'/></entity></fetch>").Entities);
        Assert.Equal(8, Value(row, "ColumnCount"));
    }

    // "Grouping": sum of employees and count by city, ordered by the City alias; the null city is its own group
    // (first, total 0), Redmond combines three rows.
    [Fact]
    public void GroupBy_City_OrderedByAlias()
    {
        var rows = Run("""
            <fetch aggregate='true'><entity name='account'>
              <attribute name='numberofemployees' alias='Total' aggregate='sum'/>
              <attribute name='address1_city' alias='Count' aggregate='count'/>
              <attribute name='address1_city' alias='City' groupby='true'/>
              <order alias='City'/>
            </entity></fetch>
            """).Entities;

        var table = rows.Select(r => $"{Value(r, "Total")}|{Value(r, "Count")}|{Value(r, "City") ?? "NULL"}").ToArray();
        Assert.Equal(new[]
        {
            "0|1|NULL", "6000|1|Dallas", "2900|1|Los Angeles", "2700|1|Lynnwood", "4800|1|Missoula", "3900|1|Phoenix",
            "10600|3|Redmond", "4300|1|Santa Cruz",
        }, table);
    }

    // Ordering by an aggregate's alias, descending; a group whose values are all null has no average.
    [Fact]
    public void OrderByAggregateAlias_Descending_AndAverageOfNullsIsLeftOut()
    {
        var rows = Run("""
            <fetch aggregate='true'><entity name='account'>
              <attribute name='numberofemployees' alias='Total' aggregate='sum'/>
              <attribute name='numberofemployees' alias='Average' aggregate='avg'/>
              <attribute name='address1_city' alias='City' groupby='true'/>
              <order alias='Total' descending='true'/>
            </entity></fetch>
            """).Entities;

        Assert.Equal("Redmond", Value(rows[0], "City"));
        Assert.Equal(3533, Value(rows[0], "Average"));
        Assert.Null(Value(rows[^1], "City"));
        Assert.False(rows[^1].Contains("Average"));
    }

    // "Grouping by parts of a date": day 25 / week 12 / month 3 / year 2023 / "Quarter 1 FY2023" / "FY2023" for the
    // nine March rows, and 27 / 35 / 8 / 2023 / "Quarter 3 FY2023" / "FY2023" for Example Account; quarter groups too.
    [Fact]
    public void DateGrouping_AsThePageShows()
    {
        var rows = Run("""
            <fetch aggregate='true'><entity name='account'>
              <attribute name='numberofemployees' alias='Total' aggregate='sum'/>
              <attribute name='createdon' alias='Day' groupby='true' dategrouping='day'/>
              <attribute name='createdon' alias='Week' groupby='true' dategrouping='week'/>
              <attribute name='createdon' alias='Month' groupby='true' dategrouping='month'/>
              <attribute name='createdon' alias='Quarter' groupby='true' dategrouping='quarter'/>
              <attribute name='createdon' alias='Year' groupby='true' dategrouping='year'/>
              <attribute name='createdon' alias='FiscalPeriod' groupby='true' dategrouping='fiscal-period'/>
              <attribute name='createdon' alias='FiscalYear' groupby='true' dategrouping='fiscal-year'/>
              <order alias='Month'/>
            </entity></fetch>
            """).Entities;

        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 35200, 25, 12, 3, 1, 2023, 1, 2023 }, new[] { "Total", "Day", "Week", "Month", "Quarter", "Year", "FiscalPeriod", "FiscalYear" }.Select(a => Value(rows[0], a)));
        Assert.Equal(new object?[] { 0, 27, 35, 8, 3, 2023, 3, 2023 }, new[] { "Total", "Day", "Week", "Month", "Quarter", "Year", "FiscalPeriod", "FiscalYear" }.Select(a => Value(rows[1], a)));
        Assert.Equal(("Quarter 1 FY2023", "FY2023"), (rows[0].FormattedValues["FiscalPeriod"], rows[0].FormattedValues["FiscalYear"]));
        Assert.Equal("Quarter 3 FY2023", rows[1].FormattedValues["FiscalPeriod"]);
    }

    // "Limitations": more rows than the limit fail with -2147164125 (0x8004E023) "AggregateQueryRecordLimit exceeded.
    // Cannot perform this operation."; aggregatelimit sets a lower per-query limit; a filter that keeps the rows under
    // it succeeds.
    [Fact]
    public void RecordLimit_FailsWithThePlatformError()
    {
        var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() =>
            Run("<fetch aggregate='true' aggregatelimit='9'><entity name='account'><attribute name='name' alias='n' aggregate='count'/></entity></fetch>"));
        Assert.Equal(-2147164125, fault.Detail.ErrorCode);
        Assert.Equal("AggregateQueryRecordLimit exceeded. Cannot perform this operation.", fault.Detail.Message);

        var row = Assert.Single(Run("<fetch aggregate='true' aggregatelimit='9'><entity name='account'><attribute name='name' alias='n' aggregate='count'/><filter><condition attribute='numberofemployees' operator='not-null'/></filter></entity></fetch>").Entities);
        Assert.Equal(9, Value(row, "n"));
    }

    // The default limit is 50,000 rows: 50,001 rows fail, 50,000 pass.
    [Fact]
    public void RecordLimit_Is50000ByDefault()
    {
        var org = DataverseOrg.Create();
        org.Seed(Enumerable.Range(0, 50_000).Select(i => new Entity("contact") { ["lastname"] = "c" }));
        const string count = "<fetch aggregate='true'><entity name='contact'><attribute name='contactid' alias='n' aggregate='count'/></entity></fetch>";
        Assert.Equal(50_000, ((AliasedValue)org.GetService().RetrieveMultiple(new FetchExpression(count)).Entities[0]["n"]).Value);

        org.Seed(new Entity("contact") { ["lastname"] = "one more" });
        var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => org.GetService().RetrieveMultiple(new FetchExpression(count)));
        Assert.Equal(-2147164125, fault.Detail.ErrorCode);
    }

    // "You can use data from tables joined using the link-entity element": opportunity value summed per customer
    // (a lookup group: EntityReference) and per account name through a link-entity alias, money as Money.
    [Fact]
    public void LinkEntity_GroupAndSum()
    {
        var data = new QueryData();
        var rows = data.Org.GetService().RetrieveMultiple(new FetchExpression("""
            <fetch aggregate='true'><entity name='opportunity'>
              <attribute name='estimatedvalue' alias='value' aggregate='sum'/>
              <attribute name='opportunityid' alias='deals' aggregate='count'/>
              <link-entity name='account' from='accountid' to='customerid' alias='acct'>
                <attribute name='name' alias='account' groupby='true'/>
                <attribute name='revenue' alias='maxrevenue' aggregate='max'/>
              </link-entity>
              <order alias='value' descending='true'/>
            </entity></fetch>
            """)).Entities;

        Assert.Equal(new[] { "Contoso", "Fabrikam" }, rows.Select(r => (string)Value(r, "account")!));
        Assert.Equal(new Money(900_000m), Value(rows[0], "value"));
        Assert.Equal(new Money(5_000_000m), Value(rows[0], "maxrevenue"));
        Assert.Equal(1, Value(rows[1], "deals"));

        var byCustomer = data.Org.GetService().RetrieveMultiple(new FetchExpression(
            "<fetch aggregate='true'><entity name='opportunity'><attribute name='customerid' alias='customer' groupby='true'/><attribute name='opportunityid' alias='n' aggregate='count'/></entity></fetch>")).Entities;
        Assert.Equal(3, byCustomer.Count);
        Assert.Contains(byCustomer, r => Value(r, "customer") is EntityReference { LogicalName: "contact" } c && c.Id == data.Ids["Solo"]);
    }

    // Every attribute of an aggregate query needs aggregate or groupby; sum over text is refused.
    [Theory]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='name'/></entity></fetch>", "either an 'aggregate' or groupby")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='s' aggregate='sum'/></entity></fetch>", "number and currency")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='s' aggregate='median'/></entity></fetch>", "median")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='n' aggregate='count'/><order alias='nope'/></entity></fetch>", "nope")]
    public void Invalid_Faults(string fetch, string mentioned)
    {
        var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Run(fetch));
        Assert.Contains(mentioned, fault.Detail.Message);
    }
}
