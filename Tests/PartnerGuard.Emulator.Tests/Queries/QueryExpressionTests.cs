using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// A table of QueryExpression cases over <see cref="QueryData"/>: each case names the platform behaviour it relies on.
/// Sources: learn.microsoft.com/power-apps/developer/data-platform/org-service/queryexpression/filter-rows (operators),
/// .../join-tables (link-entities, aliases), .../order-rows, and SQL Server semantics the platform inherits
/// (case- and accent-insensitive default collation; null matches no comparison; LIKE wildcards).
/// </summary>
public sealed class QueryExpressionTests : IClassFixture<QueryData>
{
    private readonly QueryData _data;

    public QueryExpressionTests(QueryData data) => _data = data;

    private static QueryExpression Accounts(Action<QueryExpression> build)
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        build(query);
        return query;
    }

    private static QueryExpression Accounts(ConditionExpression condition)
        => Accounts(q => q.Criteria.AddCondition(condition));

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    /// <summary>Case name → (query, expected names in name order, or in the query's own order when it has orders).</summary>
    private static readonly Dictionary<string, (Func<QueryData, QueryExpression> Query, string[] Expected)> Cases = new()
    {
        // Equal on text uses the default collation: case-insensitive.
        ["Equal text is case-insensitive"] = (_ => Accounts(new ConditionExpression("address1_country", ConditionOperator.Equal, "us")), new[] { "Contoso", "Fabrikam", "Northwind_Traders" }),
        // Accent-insensitive (Latin1_General_CI_AI).
        ["Equal text is accent-insensitive"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.Equal, "cafe ole")), new[] { "Café Olé" }),
        // NotEqual excludes nulls (SQL three-valued logic).
        ["NotEqual excludes nulls"] = (_ => Accounts(new ConditionExpression("numberofemployees", ConditionOperator.NotEqual, 10)), new[] { "Contoso", "Contoso Europe" }),
        ["Null"] = (_ => Accounts(new ConditionExpression("revenue", ConditionOperator.Null)), new[] { "Café Olé", "Contoso Berlin", "Northwind_Traders" }),
        ["NotNull"] = (_ => Accounts(new ConditionExpression("parentaccountid", ConditionOperator.NotNull)), new[] { "Contoso Berlin", "Contoso Europe" }),
        // In takes several values; numbers of any CLR type compare with a whole-number column.
        ["In"] = (_ => Accounts(new ConditionExpression("address1_country", ConditionOperator.In, "DE", "GB")), new[] { "Adventure Works", "Contoso Berlin", "Contoso Europe" }),
        ["In with an array value"] = (_ => Accounts(new ConditionExpression("numberofemployees", ConditionOperator.In, new[] { 10, 50 })), new[] { "Contoso Europe", "Fabrikam", "Northwind_Traders" }),
        ["NotIn excludes nulls"] = (_ => Accounts(new ConditionExpression("address1_country", ConditionOperator.NotIn, "US", "DE")), new[] { "Adventure Works", "Café Olé" }),
        // Money conditions take a decimal (or Money) and compare with the stored amount.
        ["GreaterThan money"] = (_ => Accounts(new ConditionExpression("revenue", ConditionOperator.GreaterThan, 250_000m)), new[] { "Contoso", "Contoso Europe" }),
        ["GreaterEqual money"] = (_ => Accounts(new ConditionExpression("revenue", ConditionOperator.GreaterEqual, new Money(250_000m))), new[] { "Contoso", "Contoso Europe", "Fabrikam" }),
        ["LessThan int"] = (_ => Accounts(new ConditionExpression("numberofemployees", ConditionOperator.LessThan, 50)), new[] { "Fabrikam", "Northwind_Traders" }),
        ["LessEqual int"] = (_ => Accounts(new ConditionExpression("numberofemployees", ConditionOperator.LessEqual, 50)), new[] { "Contoso Europe", "Fabrikam", "Northwind_Traders" }),
        ["Between"] = (_ => Accounts(new ConditionExpression("revenue", ConditionOperator.Between, 0m, 250_000m)), new[] { "Adventure Works", "Fabrikam" }),
        ["NotBetween excludes nulls"] = (_ => Accounts(new ConditionExpression("revenue", ConditionOperator.NotBetween, 0m, 250_000m)), new[] { "Contoso", "Contoso Europe" }),
        // Like uses SQL wildcards: % any run, _ one character, [..] a set.
        ["Like percent"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.Like, "contoso%")), new[] { "Contoso", "Contoso Berlin", "Contoso Europe" }),
        ["Like underscore"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.Like, "Fabrika_")), new[] { "Fabrikam" }),
        ["Like set"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.Like, "[AF]%")), new[] { "Adventure Works", "Fabrikam" }),
        ["NotLike excludes nulls and matches"] = (_ => Accounts(new ConditionExpression("address1_country", ConditionOperator.NotLike, "%U%")), new[] { "Adventure Works", "Café Olé", "Contoso Berlin", "Contoso Europe" }),
        // BeginsWith/EndsWith/Contains are LIKE 'x%', '%x', '%x%': wildcards inside the value still act as wildcards.
        ["BeginsWith"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.BeginsWith, "CONTOSO ")), new[] { "Contoso Berlin", "Contoso Europe" }),
        ["BeginsWith keeps wildcards"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.BeginsWith, "Northwind_")), new[] { "Northwind_Traders" }),
        ["DoesNotBeginWith"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.DoesNotBeginWith, "Contoso")), new[] { "Adventure Works", "Café Olé", "Fabrikam", "Northwind_Traders" }),
        ["EndsWith"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.EndsWith, "works")), new[] { "Adventure Works" }),
        ["Contains"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.Contains, "ber")), new[] { "Contoso Berlin" }),
        ["DoesNotContain (case-insensitive)"] = (_ => Accounts(new ConditionExpression("name", ConditionOperator.DoesNotContain, "o")), new[] { "Fabrikam" }),
        // Choices compare by value; int or OptionSetValue both work.
        ["Choice with OptionSetValue"] = (_ => Accounts(new ConditionExpression("customertypecode", ConditionOperator.Equal, new OptionSetValue(5))), new[] { "Adventure Works", "Fabrikam" }),
        ["State filter"] = (_ => Accounts(new ConditionExpression("statecode", ConditionOperator.Equal, 1)), new[] { "Northwind_Traders" }),
        // Lookup conditions take the id (Guid) of the referenced row.
        ["Lookup equal Guid"] = (d => Accounts(new ConditionExpression("parentaccountid", ConditionOperator.Equal, d.Ids["Contoso"])), new[] { "Contoso Europe" }),
        // Hierarchy operators walk the table's hierarchical self-lookup (account.parentaccountid).
        ["Under"] = (d => Accounts(new ConditionExpression("accountid", ConditionOperator.Under, d.Ids["Contoso"])), new[] { "Contoso Berlin", "Contoso Europe" }),
        ["UnderOrEqual"] = (d => Accounts(new ConditionExpression("accountid", ConditionOperator.UnderOrEqual, d.Ids["Contoso Europe"])), new[] { "Contoso Berlin", "Contoso Europe" }),
        ["NotUnder"] = (d => Accounts(new ConditionExpression("accountid", ConditionOperator.NotUnder, d.Ids["Contoso"])), new[] { "Adventure Works", "Café Olé", "Contoso", "Fabrikam", "Northwind_Traders" }),
        ["Above"] = (d => Accounts(new ConditionExpression("accountid", ConditionOperator.Above, d.Ids["Contoso Berlin"])), new[] { "Contoso", "Contoso Europe" }),
        ["AboveOrEqual"] = (d => Accounts(new ConditionExpression("accountid", ConditionOperator.AboveOrEqual, d.Ids["Contoso Europe"])), new[] { "Contoso", "Contoso Europe" }),
        // Nested filters: (country = US and employees = 10) or name begins with 'Ad'.
        ["Nested and/or"] = (_ => Accounts(q =>
        {
            q.Criteria.FilterOperator = LogicalOperator.Or;
            var both = q.Criteria.AddFilter(LogicalOperator.And);
            both.AddCondition("address1_country", ConditionOperator.Equal, "US");
            both.AddCondition("numberofemployees", ConditionOperator.Equal, 10);
            q.Criteria.AddCondition("name", ConditionOperator.BeginsWith, "Ad");
        }), new[] { "Adventure Works", "Fabrikam", "Northwind_Traders" }),
        // Orders: descending money, nulls last in descending (they sort first ascending, as in SQL Server).
        ["Order by revenue descending"] = (_ => Accounts(q =>
        {
            q.AddOrder("revenue", OrderType.Descending);
            q.AddOrder("name", OrderType.Ascending);
        }),
            new[] { "Contoso", "Contoso Europe", "Fabrikam", "Adventure Works", "Café Olé", "Contoso Berlin", "Northwind_Traders" }),
        ["Order by country then name"] = (_ => Accounts(q =>
        {
            q.AddOrder("address1_country", OrderType.Ascending);
            q.AddOrder("name", OrderType.Descending);
        }), new[] { "Contoso Europe", "Contoso Berlin", "Café Olé", "Adventure Works", "Northwind_Traders", "Fabrikam", "Contoso" }),
        // TopCount limits the rows after ordering.
        ["TopCount"] = (_ => Accounts(q =>
        {
            q.TopCount = 2;
            q.AddOrder("name", OrderType.Ascending);
        }), new[] { "Adventure Works", "Café Olé" }),
        // Inner link: accounts that have at least one contact (one row per match, Distinct collapses).
        ["Inner link with Distinct"] = (_ => Accounts(q =>
        {
            q.Distinct = true;
            q.AddLink("contact", "accountid", "parentcustomerid");
        }), new[] { "Contoso", "Fabrikam" }),
        // Link criteria filter the joined rows.
        ["Inner link with link criteria"] = (_ => Accounts(q =>
        {
            var link = q.AddLink("contact", "accountid", "parentcustomerid");
            link.LinkCriteria.AddCondition("lastname", ConditionOperator.Equal, "Hopper");
        }), new[] { "Contoso" }),
        // ConditionExpression.EntityName addresses a link-entity alias from the main filter; an outer link plus
        // "alias.column is null" finds rows with no match.
        ["Outer link, no match via EntityName condition"] = (_ => Accounts(q =>
        {
            var link = q.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.LeftOuter);
            link.EntityAlias = "c";
            q.Criteria.AddCondition("c", "contactid", ConditionOperator.Null);
        }), new[] { "Adventure Works", "Café Olé", "Contoso Berlin", "Contoso Europe", "Northwind_Traders" }),
        // Order on a link-entity column (OrderExpression.EntityName = alias).
        ["Order by link column"] = (_ => Accounts(q =>
        {
            var link = q.AddLink("contact", "accountid", "parentcustomerid");
            link.EntityAlias = "c";
            q.Orders.Add(new OrderExpression("lastname", OrderType.Descending, null, "c"));
        }), new[] { "Fabrikam", "Contoso", "Contoso" }),
        // Semi-join (Exists): one row per account, no link columns.
        ["Exists link"] = (_ => Accounts(q =>
        {
            var link = q.AddLink("opportunity", "accountid", "customerid", JoinOperator.Exists);
            link.LinkCriteria.AddCondition("estimatedvalue", ConditionOperator.GreaterThan, 10_000m);
        }), new[] { "Contoso" }),
        ["NotAny link"] = (_ => Accounts(q => q.AddLink("contact", "accountid", "parentcustomerid", JoinOperator.NotAny)),
            new[] { "Adventure Works", "Café Olé", "Contoso Berlin", "Contoso Europe", "Northwind_Traders" }),
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void QueryExpression_ReturnsExpectedRows(string caseName)
    {
        var (build, expected) = Cases[caseName];
        var query = build(_data);
        var result = _data.Org.GetService().RetrieveMultiple(query);
        var names = result.Entities.Select(e => (string)e["name"]).ToList();
        var ordered = query.Orders.Count > 0 || query.LinkEntities.Any(l => l.Orders.Count > 0) || query.TopCount is not null;
        if (!ordered)
        {
            names.Sort(StringComparer.Ordinal);
        }

        Assert.Equal(expected, names);
        Assert.Equal("account", result.EntityName);
    }

    // Platform: link-entity columns come back as AliasedValue keyed "alias.column", whose EntityLogicalName is the
    // linked table (not the alias); without an alias the platform names the link {table}{n}.
    [Fact]
    public void LinkColumns_ComeBackAsAliasedValues()
    {
        var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("name", ConditionOperator.Equal, "Big deal");
        var named = query.AddLink("account", "customerid", "accountid");
        named.EntityAlias = "customer";
        named.Columns = new ColumnSet("name", "revenue");
        var unnamed = named.AddLink("account", "parentaccountid", "accountid", JoinOperator.LeftOuter);
        unnamed.Columns = new ColumnSet("name");
        var contacts = query.AddLink("contact", "customerid", "contactid", JoinOperator.LeftOuter);
        contacts.Columns = new ColumnSet("fullname");

        var row = Assert.Single(_data.Org.GetService().RetrieveMultiple(query).Entities);
        var name = Assert.IsType<AliasedValue>(row["customer.name"]);
        Assert.Equal(("account", "name", "Contoso"), (name.EntityLogicalName, name.AttributeLogicalName, (string)name.Value));
        Assert.Equal(5_000_000m, ((Money)((AliasedValue)row["customer.revenue"]).Value).Value);
        // Contoso has no parent: the outer link's columns are absent, not null.
        Assert.False(row.Contains("account2.name"));
        Assert.False(row.Contains("contact3.fullname"));
    }

    [Fact]
    public void UnnamedLinkAlias_IsTableNameAndPosition()
    {
        var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
        query.Criteria.AddCondition("lastname", ConditionOperator.Equal, "Torvalds");
        query.AddLink("account", "parentcustomerid", "accountid").Columns = new ColumnSet("name");
        var row = Assert.Single(_data.Org.GetService().RetrieveMultiple(query).Entities);
        Assert.Equal("Fabrikam", ((AliasedValue)row["account1.name"]).Value);
    }

    // Platform: QueryByAttribute is an equality query on each attribute/value pair.
    [Fact]
    public void QueryByAttribute_MatchesAllPairs()
    {
        var query = new QueryByAttribute("account") { ColumnSet = new ColumnSet("name") };
        query.AddAttributeValue("address1_country", "us");
        query.AddAttributeValue("numberofemployees", 10);
        query.AddOrder("name", OrderType.Ascending);
        var names = _data.Org.GetService().RetrieveMultiple(query).Entities.Select(e => (string)e["name"]);
        Assert.Equal(new[] { "Fabrikam", "Northwind_Traders" }, names);
    }

    // Platform: ColumnSet(true) returns every column with a value; lookups come back with the target's primary name.
    [Fact]
    public void AllColumns_IncludesLookupNames()
    {
        var query = new QueryExpression("contact") { ColumnSet = new ColumnSet(true) };
        query.Criteria.AddCondition("lastname", ConditionOperator.Equal, "Lovelace");
        var row = Assert.Single(_data.Org.GetService().RetrieveMultiple(query).Entities);
        Assert.Equal("Contoso", row.GetAttributeValue<EntityReference>("parentcustomerid").Name);
        Assert.True(row.Contains("createdon"));
        Assert.True(row.Contains("ownerid"));
    }

    // Date operators compare the date part (UTC in the emulator; Dataverse uses the user's time zone).
    [Theory]
    [InlineData(ConditionOperator.On, "2026-05-10", new[] { "Big deal" })]
    [InlineData(ConditionOperator.OnOrBefore, "2026-05-11", new[] { "Big deal", "Small deal" })]
    [InlineData(ConditionOperator.OnOrAfter, "2026-05-11", new[] { "Contact deal", "Small deal" })]
    public void DateOperators_CompareDates(ConditionOperator op, string date, string[] expected)
    {
        var query = new QueryExpression("opportunity") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("estimatedclosedate", op, DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        var names = _data.Org.GetService().RetrieveMultiple(query).Entities.Select(e => (string)e["name"]).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(expected, names);
    }

    // Malformed queries get faults, never crashes.
    [Theory]
    [InlineData("unknown column")]
    [InlineData("unknown table")]
    [InlineData("wrong value type")]
    [InlineData("missing value")]
    [InlineData("unsupported operator")]
    [InlineData("hierarchy on table without hierarchy")]
    [InlineData("unknown alias")]
    [InlineData("page size over 5000")]
    [InlineData("top and paging")]
    public void MalformedQuery_Faults(string problem)
    {
        var query = new QueryExpression(problem == "unknown table" ? "nosuchtable" : "account") { ColumnSet = new ColumnSet("name") };
        switch (problem)
        {
            case "unknown column":
                query.Criteria.AddCondition("nosuchcolumn", ConditionOperator.Equal, "x");
                break;
            case "wrong value type":
                query.Criteria.AddCondition("numberofemployees", ConditionOperator.Equal, "ten");
                break;
            case "missing value":
                query.Criteria.AddCondition("name", ConditionOperator.Equal);
                break;
            case "unsupported operator":
                query.Criteria.AddCondition("name", ConditionOperator.InFiscalYear, 2026);
                break;
            case "hierarchy on table without hierarchy":
                query = new QueryExpression("contact");
                query.Criteria.AddCondition("contactid", ConditionOperator.Under, Guid.NewGuid());
                break;
            case "unknown alias":
                query.Criteria.AddCondition("nosuchalias", "name", ConditionOperator.Equal, "x");
                break;
            case "page size over 5000":
                query.PageInfo = new PagingInfo { Count = 5001, PageNumber = 1 };
                break;
            case "top and paging":
                query.TopCount = 5;
                query.PageInfo = new PagingInfo { Count = 2, PageNumber = 2 };
                break;
        }

        var exception = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => _data.Org.GetService().RetrieveMultiple(query));
        Assert.False(string.IsNullOrWhiteSpace(exception.Detail.Message));
        Assert.NotEqual(0, exception.Detail.ErrorCode);
    }
}
