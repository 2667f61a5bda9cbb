using System.Net;
using System.Text.Json;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// $orderby on lookup and choice columns. Source: Microsoft Learn, Web API "Order rows", section "Ordering lookup and
/// choice columns" (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/order-rows): a lookup
/// (<c>_x_value</c>) sorts by the related table's primary name; a choice sorts by its integer value, unlike FetchXml
/// and QueryExpression, which sort it by label — a FetchXml query sent with <c>fetchXml=</c> therefore sorts by label.
/// The partners' ids are chosen so that their stored (uniqueidentifier) order is the reverse of their name order, and
/// the labels so that their order is the reverse of the numbers: each test fails if the wrong one is used.
/// </summary>
public sealed class OrderByLookupAndChoiceTests
{
    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    private static WebApiFixture Api()
    {
        var api = new WebApiFixture(configure: org => org.Metadata.GetExact("account").FindExact("customertypecode")!.OptionLabels =
            new Dictionary<int, string> { [1] = "Zulu", [2] = "Mike", [3] = "Alpha" });
        api.Org.Seed(new[]
        {
            new Entity("account", Id(1)) { ["name"] = "Zeta partner", ["customertypecode"] = new OptionSetValue(1) },
            new Entity("account", Id(2)) { ["name"] = "Mu partner", ["customertypecode"] = new OptionSetValue(2) },
            new Entity("account", Id(3)) { ["name"] = "Alpha partner", ["customertypecode"] = new OptionSetValue(3) },
        });
        Customer(api, 11, "c1", 1);
        Customer(api, 12, "c2", 2);
        Customer(api, 13, "c3", 3);
        Customer(api, 14, "c4", null);
        Customer(api, 15, "c5", 2);
        return api;
    }

    private static void Customer(WebApiFixture api, int n, string name, int? partner)
    {
        var account = new Entity("account", Id(n)) { ["name"] = name };
        if (partner is { } p)
        {
            account["pg_assignedpartnerid"] = new EntityReference("account", Id(p));
        }

        api.Org.Seed(account);
    }

    private static string[] Names(JsonElement body) => body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();

    // The lookup sorts by the partner's name (Alpha, Mu, Zeta); no partner first ascending, last descending; the two
    // customers of Mu in primary key order both ways (the key Dataverse appends is ascending).
    [Theory]
    [InlineData("_pg_assignedpartnerid_value", "c4,c3,c2,c5,c1")]
    [InlineData("_pg_assignedpartnerid_value asc", "c4,c3,c2,c5,c1")]
    [InlineData("_pg_assignedpartnerid_value desc", "c1,c2,c5,c3,c4")]
    public async Task OrderByLookupValue_SortsByReferencedName(string orderBy, string expected)
    {
        using var api = Api();
        var (response, body) = await api.GetAsync($"accounts?$select=name&$filter=startswith(name,'c')&$orderby={orderBy}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Split(','), Names(body));
    }

    // The choice sorts by number (1, 2, 3), not by label (which would give Alpha partner first).
    [Fact]
    public async Task OrderByChoice_SortsByNumber()
    {
        using var api = Api();
        var (response, body) = await api.GetAsync("accounts?$select=name&$filter=customertypecode ne null&$orderby=customertypecode");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "Zeta partner", "Mu partner", "Alpha partner" }, Names(body));
    }

    // The same order as FetchXml through the Web API sorts by label ("To order results by choice labels … use FetchXml").
    [Fact]
    public async Task FetchXmlThroughWebApi_OrderByChoice_SortsByLabel()
    {
        using var api = Api();
        var fetch = "<fetch><entity name='account'><attribute name='name' /><filter><condition attribute='customertypecode' operator='not-null' /></filter>"
            + "<order attribute='customertypecode' /></entity></fetch>";
        var (response, body) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString(fetch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "Alpha partner", "Mu partner", "Zeta partner" }, Names(body));
    }

    // Pages of two rows through @odata.nextLink: the skip token carries the partner's name, so the pages give the
    // unpaged order, each row once, with a page boundary between the two customers of Mu.
    [Fact]
    public async Task NextLinkPages_OrderedByLookup_FollowTheNameOrder()
    {
        using var api = Api();
        var names = new List<string>();
        string? next = "accounts?$select=name&$filter=startswith(name,'c')&$orderby=_pg_assignedpartnerid_value desc";
        while (next is not null)
        {
            var (response, body) = await api.GetAsync(next, ("Prefer", "odata.maxpagesize=2"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            names.AddRange(Names(body));
            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal(new[] { "c1", "c2", "c5", "c3", "c4" }, names);
    }
}
