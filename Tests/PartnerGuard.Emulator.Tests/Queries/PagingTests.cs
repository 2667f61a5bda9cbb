using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// Paging (learn.microsoft.com/power-apps/developer/data-platform/org-service/page-large-result-sets-with-queryexpression
/// and .../fetchxml/page-results): PageNumber/Count, the paging cookie from the previous page, MoreRecords,
/// TotalRecordCount when asked, and 5,000 rows per page at most.
/// </summary>
public sealed class PagingTests
{
    private static DataverseOrg OrgWithAccounts(int count)
    {
        var org = DataverseOrg.Create();
        org.Seed(Enumerable.Range(0, count).Select(i => new Entity("account") { ["name"] = $"Account {i:D4}", ["numberofemployees"] = i % 7 }));
        return org;
    }

    private static List<string> PageAll(IOrganizationService service, QueryExpression query, Action<int>? betweenPages = null)
    {
        var names = new List<string>();
        query.PageInfo = new PagingInfo { Count = query.PageInfo.Count, PageNumber = 1 };
        var pages = 0;
        while (true)
        {
            var page = service.RetrieveMultiple(query);
            names.AddRange(page.Entities.Select(e => (string)e["name"]));
            pages++;
            if (!page.MoreRecords)
            {
                return names;
            }

            Assert.False(string.IsNullOrEmpty(page.PagingCookie));
            betweenPages?.Invoke(pages);
            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }
    }

    [Fact]
    public void Pages_CoverEveryRowOnceInOrder()
    {
        var org = OrgWithAccounts(95);
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 10 } };
        query.AddOrder("name", OrderType.Ascending);
        var names = PageAll(org.GetService(), query);
        Assert.Equal(Enumerable.Range(0, 95).Select(i => $"Account {i:D4}"), names);
    }

    // Ordering by a non-unique column pages correctly: the primary key breaks ties in the cookie.
    [Fact]
    public void Pages_WithDuplicateSortValues_HaveNoGapsOrRepeats()
    {
        var org = OrgWithAccounts(100);
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 9 } };
        query.AddOrder("numberofemployees", OrderType.Descending);
        var names = PageAll(org.GetService(), query);
        Assert.Equal(100, names.Count);
        Assert.Equal(100, names.Distinct().Count());
    }

    // The cookie marks where the previous page ended: rows changed or added between pages cause no gaps or duplicates,
    // which offset paging would (a row that stops matching shifts every later row back by one).
    [Fact]
    public void Pages_WithWritesBetweenPages_HaveNoGapsOrRepeats()
    {
        var org = OrgWithAccounts(50);
        var service = org.GetService();
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 10 } };
        query.Criteria.AddCondition("accountnumber", ConditionOperator.Null);
        query.AddOrder("name", OrderType.Ascending);

        var names = PageAll(service, query, _ =>
        {
            // The caller processes each page by marking its rows: they no longer match the filter.
            var marked = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
            marked.Criteria.AddCondition("accountnumber", ConditionOperator.Null);
            marked.AddOrder("name", OrderType.Ascending);
            marked.TopCount = 10;
            foreach (var row in service.RetrieveMultiple(marked).Entities)
            {
                service.Update(new Entity("account", row.Id) { ["accountnumber"] = "done" });
            }
        });

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"Account {i:D4}"), names);
    }

    [Fact]
    public void TotalRecordCount_OnlyWhenRequested()
    {
        var org = OrgWithAccounts(12);
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 5, PageNumber = 1 } };
        var plain = org.GetService().RetrieveMultiple(query);
        Assert.Equal(-1, plain.TotalRecordCount);
        Assert.True(plain.MoreRecords);
        Assert.Equal(5, plain.Entities.Count);

        query.PageInfo.ReturnTotalRecordCount = true;
        var counted = org.GetService().RetrieveMultiple(query);
        Assert.Equal(12, counted.TotalRecordCount);
        Assert.False(counted.TotalRecordCountLimitExceeded);
    }

    // Without a page size the platform returns at most 5,000 rows with MoreRecords set.
    [Fact]
    public void NoPageSize_ReturnsAtMost5000()
    {
        var org = OrgWithAccounts(5003);
        var result = org.GetService().RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") });
        Assert.Equal(5000, result.Entities.Count);
        Assert.True(result.MoreRecords);
    }

    // A page number past the end returns an empty page, not an error.
    [Fact]
    public void PagePastTheEnd_IsEmpty()
    {
        var org = OrgWithAccounts(3);
        var result = org.GetService().RetrieveMultiple(new QueryExpression("account")
        {
            ColumnSet = new ColumnSet("name"),
            PageInfo = new PagingInfo { Count = 5, PageNumber = 4 },
        });
        Assert.Empty(result.Entities);
        Assert.False(result.MoreRecords);
    }

    // FetchXML pages with count/page/paging-cookie attributes the same way.
    [Fact]
    public void FetchXml_PagesWithCookie()
    {
        var org = OrgWithAccounts(23);
        var service = org.GetService();
        var names = new List<string>();
        string? cookie = null;
        for (var page = 1; ; page++)
        {
            var cookieAttribute = cookie is null ? string.Empty : $" paging-cookie='{System.Security.SecurityElement.Escape(cookie)}'";
            var fetch = $"<fetch count='10' page='{page}'{cookieAttribute}><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>";
            var result = service.RetrieveMultiple(new FetchExpression(fetch));
            names.AddRange(result.Entities.Select(e => (string)e["name"]));
            if (!result.MoreRecords)
            {
                break;
            }

            cookie = result.PagingCookie;
        }

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"Account {i:D4}"), names);
    }
}
