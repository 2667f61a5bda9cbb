using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

// Facts in this file come from shared/reference/sdk-and-pipeline-notes.md §3.5 (read from the official IL and
// metadata): QueryExpression() creates Criteria, PageInfo and an empty ColumnSet; LinkEntity() creates Columns
// and LinkCriteria; QueryExpression.AddLink links from EntityName; FilterOperator defaults to And; the
// ConditionExpression ICollection overload enumerates into Values.
public sealed class QueryTests
{
    [Fact]
    public void ColumnSet_ParamsConstructor_KeepsOrder()
    {
        var columns = new ColumnSet("name", "ownerid");

        Assert.False(columns.AllColumns);
        Assert.Equal(new[] { "name", "ownerid" }, columns.Columns);
    }

    [Fact]
    public void ColumnSet_AllColumnsAndAddColumns()
    {
        var all = new ColumnSet(true);
        var some = new ColumnSet();
        some.AddColumns("name", "telephone1");
        some.AddColumn("ownerid");

        Assert.True(all.AllColumns);
        Assert.Empty(all.Columns);
        Assert.Equal(new[] { "name", "telephone1", "ownerid" }, some.Columns);
    }

    [Fact]
    public void ConditionExpression_ParamsValues_AddsEachValue()
    {
        var condition = new ConditionExpression("statecode", ConditionOperator.In, 0, 1);

        Assert.Null(condition.EntityName);
        Assert.Equal("statecode", condition.AttributeName);
        Assert.Equal(ConditionOperator.In, condition.Operator);
        Assert.Equal(new object[] { 0, 1 }, condition.Values);
    }

    [Fact]
    public void ConditionExpression_SingleValue_AddsOneValue()
    {
        var id = Guid.NewGuid();

        var condition = new ConditionExpression("ownerid", ConditionOperator.Equal, id);

        Assert.Equal(new object[] { id }, condition.Values);
        Assert.False(condition.CompareColumns);
    }

    [Fact]
    public void ConditionExpression_Collection_EnumeratesIntoValues()
    {
        var ids = new List<Guid> { Guid.NewGuid(), Guid.NewGuid() };
        int[] codes = [1, 2, 3];

        var byList = new ConditionExpression("ownerid", ConditionOperator.In, ids);
        var byIntArray = new ConditionExpression("statuscode", ConditionOperator.In, codes);

        Assert.Equal(ids.Cast<object>(), byList.Values);
        Assert.Equal(new object[] { 1, 2, 3 }, byIntArray.Values);
    }

    [Fact]
    public void ConditionExpression_EntityNameOverloads_SetTheAlias()
    {
        var withValue = new ConditionExpression("partner", "pg_tier", ConditionOperator.Equal, 3);
        var withValues = new ConditionExpression("partner", "pg_tier", ConditionOperator.In, 1, 2);
        var withoutValue = new ConditionExpression("partner", "pg_tier", ConditionOperator.Null);

        Assert.Equal("partner", withValue.EntityName);
        Assert.Equal(new object[] { 3 }, withValue.Values);
        Assert.Equal(new object[] { 1, 2 }, withValues.Values);
        Assert.Equal("partner", withoutValue.EntityName);
        Assert.Empty(withoutValue.Values);
    }

    [Fact]
    public void ConditionExpression_CompareColumns_IsStored()
    {
        var single = new ConditionExpression("modifiedon", ConditionOperator.GreaterThan, true, "createdon");
        var aliased = new ConditionExpression("a", "modifiedon", ConditionOperator.GreaterThan, true, new object[] { "createdon" });

        Assert.True(single.CompareColumns);
        Assert.Equal(new object[] { "createdon" }, single.Values);
        Assert.True(aliased.CompareColumns);
        Assert.Equal("a", aliased.EntityName);
    }

    [Fact]
    public void FilterExpression_DefaultsToAnd()
    {
        Assert.Equal(LogicalOperator.And, new FilterExpression().FilterOperator);
        Assert.Equal(LogicalOperator.Or, new FilterExpression(LogicalOperator.Or).FilterOperator);
    }

    [Fact]
    public void FilterExpression_AddConditionOverloads_AppendConditions()
    {
        var filter = new FilterExpression();
        var prebuilt = new ConditionExpression("name", ConditionOperator.NotNull);

        filter.AddCondition("statecode", ConditionOperator.Equal, 0);
        filter.AddCondition("partner", "pg_tier", ConditionOperator.In, 1, 2);
        filter.AddCondition("modifiedon", ConditionOperator.GreaterThan, true, "createdon");
        filter.AddCondition(prebuilt);

        Assert.Equal(4, filter.Conditions.Count);
        Assert.Equal(new object[] { 0 }, filter.Conditions[0].Values);
        Assert.Equal("partner", filter.Conditions[1].EntityName);
        Assert.True(filter.Conditions[2].CompareColumns);
        Assert.Same(prebuilt, filter.Conditions[3]);
    }

    [Fact]
    public void FilterExpression_AddFilter_ReturnsTheNewChild()
    {
        var filter = new FilterExpression();
        var given = new FilterExpression(LogicalOperator.And);

        FilterExpression child = filter.AddFilter(LogicalOperator.Or);
        child.AddCondition("ownerid", ConditionOperator.Null);
        filter.AddFilter(given);

        Assert.Equal(new[] { child, given }, filter.Filters);
        Assert.Equal(LogicalOperator.Or, filter.Filters[0].FilterOperator);
        Assert.Single(filter.Filters[0].Conditions);
    }

    [Fact]
    public void QueryExpression_NewInstance_HasCriteriaPageInfoAndEmptyColumnSet()
    {
        var query = new QueryExpression("opportunity");

        Assert.Equal("opportunity", query.EntityName);
        Assert.NotNull(query.Criteria);
        Assert.Equal(LogicalOperator.And, query.Criteria.FilterOperator);
        Assert.NotNull(query.PageInfo);
        Assert.Equal(0, query.PageInfo.PageNumber);
        Assert.NotNull(query.ColumnSet);
        Assert.False(query.ColumnSet.AllColumns);
        Assert.Empty(query.ColumnSet.Columns);
        Assert.Null(query.TopCount);
    }

    [Fact]
    public void QueryExpression_AddLink_LinksFromEntityName()
    {
        var query = new QueryExpression("opportunity");

        LinkEntity inner = query.AddLink("account", "customerid", "accountid");
        LinkEntity outer = query.AddLink("team", "ownerid", "teamid", JoinOperator.LeftOuter);

        Assert.Equal(new[] { inner, outer }, query.LinkEntities);
        Assert.Equal("opportunity", inner.LinkFromEntityName);
        Assert.Equal("account", inner.LinkToEntityName);
        Assert.Equal("customerid", inner.LinkFromAttributeName);
        Assert.Equal("accountid", inner.LinkToAttributeName);
        Assert.Equal(JoinOperator.Inner, inner.JoinOperator);
        Assert.Equal(JoinOperator.LeftOuter, outer.JoinOperator);
    }

    // Official behaviour (probe against the official 9.0.2.56 assembly, XrmSdk/README.md): LinkEntity.AddLink
    // gives the child this link's LinkFromEntityName ("opportunity" here), not its LinkToEntityName. The
    // previous expectation ("account") was the stand-in's own behaviour and differed from the official one.
    [Fact]
    public void LinkEntity_NewInstance_HasColumnsAndLinkCriteria_AndNestsLinks()
    {
        var link = new LinkEntity("opportunity", "account", "customerid", "accountid", JoinOperator.Inner) { EntityAlias = "customer" };

        LinkEntity nested = link.AddLink("team", "ownerid", "teamid");

        Assert.NotNull(link.Columns);
        Assert.NotNull(link.LinkCriteria);
        Assert.NotNull(new LinkEntity().Columns);
        Assert.Equal("opportunity", nested.LinkFromEntityName);
        Assert.Same(nested, Assert.Single(link.LinkEntities));
    }

    [Fact]
    public void QueryExpression_AddOrder_AppendsOrders()
    {
        var query = new QueryExpression("account");

        query.AddOrder("name", OrderType.Ascending);
        query.AddOrder("pg_tier", OrderType.Descending, "partner", "account");

        Assert.Equal("name", query.Orders[0].AttributeName);
        Assert.Equal(OrderType.Descending, query.Orders[1].OrderType);
        Assert.Equal("partner", query.Orders[1].Alias);
        Assert.Equal("account", query.Orders[1].EntityName);
    }

    [Fact]
    public void PagingInfo_StoresPagingState()
    {
        var paging = new PagingInfo { PageNumber = 2, Count = 500, PagingCookie = "<cookie page=\"1\"/>", ReturnTotalRecordCount = true };

        Assert.Equal(2, paging.PageNumber);
        Assert.Equal(500, paging.Count);
        Assert.Equal("<cookie page=\"1\"/>", paging.PagingCookie);
        Assert.True(paging.ReturnTotalRecordCount);
    }

    [Fact]
    public void QueryByAttribute_AddAttributeValue_KeepsAttributesAndValuesAligned()
    {
        var query = new QueryByAttribute("account") { ColumnSet = new ColumnSet("name") };

        query.AddAttributeValue("statecode", 0);
        query.AddAttributeValue("pg_tier", 3);
        query.AddOrder("name", OrderType.Ascending);

        Assert.Equal(new[] { "statecode", "pg_tier" }, query.Attributes);
        Assert.Equal(new object[] { 0, 3 }, query.Values);
        Assert.Single(query.Orders);
        Assert.Equal("account", query.EntityName);
    }

    [Fact]
    public void FetchExpression_StoresQueryText()
    {
        const string fetch = "<fetch><entity name='account'/></fetch>";

        Assert.Equal(fetch, new FetchExpression(fetch).Query);
        Assert.IsAssignableFrom<QueryBase>(new FetchExpression(fetch));
    }
}
