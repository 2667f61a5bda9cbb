using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.WebApi.Tests;

public sealed class QueryTests
{
    private static WebApiFixture WithAccounts(out Guid partner)
    {
        var api = new WebApiFixture();
        var p = api.SeedAccount("Partner Ltd", e => e["customertypecode"] = new OptionSetValue(5));
        api.SeedAccount("Contoso", e => { e["numberofemployees"] = 500; e["address1_country"] = "Germany"; e["pg_assignedpartnerid"] = new EntityReference("account", p); });
        api.SeedAccount("Contoso Pharma", e => { e["numberofemployees"] = 50; e["address1_country"] = "France"; });
        api.SeedAccount("Fabrikam", e => { e["numberofemployees"] = 5000; e["address1_country"] = "Germany"; });
        api.SeedAccount("Litware 100%", e => e["numberofemployees"] = 10);
        partner = p;
        return api;
    }

    private static string[] Names(JsonElement body) => body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();

    // "Filter rows" (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows): comparison,
    // and/or/not, contains/startswith/endswith, null and lookup values through _x_value; "Order rows"; "Select columns".
    [Theory]
    [InlineData("$filter=numberofemployees gt 100&$orderby=name", "Contoso,Fabrikam")]
    [InlineData("$filter=numberofemployees ge 50 and address1_country eq 'Germany'&$orderby=numberofemployees desc", "Fabrikam,Contoso")]
    [InlineData("$filter=numberofemployees lt 20 or address1_country eq 'France'&$orderby=name", "Contoso Pharma,Litware 100%")]
    [InlineData("$filter=not (address1_country eq 'Germany')&$orderby=name", "Contoso Pharma")]
    [InlineData("$filter=contains(name,'pharma')&$orderby=name", "Contoso Pharma")]
    [InlineData("$filter=startswith(name,'Contoso')&$orderby=name desc", "Contoso Pharma,Contoso")]
    [InlineData("$filter=endswith(name,'100%')", "Litware 100%")]
    [InlineData("$filter=contains(name,'%')", "Litware 100%")]
    [InlineData("$filter=numberofemployees eq null&$orderby=name", "Partner Ltd")]
    [InlineData("$filter=address1_country ne null and numberofemployees le 500&$orderby=name", "Contoso,Contoso Pharma")]
    [InlineData("$filter=customertypecode eq 5", "Partner Ltd")]
    [InlineData("$orderby=numberofemployees desc,name&$top=2", "Fabrikam,Contoso")]
    public async Task Filter_OrderBy_Top(string query, string expected)
    {
        using var api = WithAccounts(out _);
        var (response, body) = await api.GetAsync("accounts?$select=name&" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Split(','), Names(body));
    }

    // "Lookup property data": filter a lookup with _x_value eq {guid}.
    [Fact]
    public async Task Filter_LookupValue()
    {
        using var api = WithAccounts(out var partner);
        var (_, body) = await api.GetAsync($"accounts?$select=name,_pg_assignedpartnerid_value&$filter=_pg_assignedpartnerid_value eq {partner}");

        var row = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal("Contoso", row.GetProperty("name").GetString());
        Assert.Equal(partner, row.GetProperty("_pg_assignedpartnerid_value").GetGuid());
        Assert.Equal("http://localhost/api/data/v9.2/$metadata#accounts(name,_pg_assignedpartnerid_value)", body.GetProperty("@odata.context").GetString());
    }

    // "Count rows": $count=true adds @odata.count.
    [Fact]
    public async Task Count_AddsODataCount()
    {
        using var api = WithAccounts(out _);
        var (_, body) = await api.GetAsync("accounts?$select=name&$count=true&$filter=address1_country eq 'Germany'");

        Assert.Equal(2, body.GetProperty("@odata.count").GetInt32());
        Assert.Equal(2, body.GetProperty("value").GetArrayLength());
    }

    // "Formatted values": with odata.include-annotations the row carries FormattedValue annotations.
    [Fact]
    public async Task IncludeAnnotations_AddsFormattedValues()
    {
        using var api = WithAccounts(out _);
        var (_, body) = await api.GetAsync("accounts?$select=name,numberofemployees,statecode&$filter=name eq 'Fabrikam'",
            ("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""));

        var row = body.GetProperty("value")[0];
        Assert.Equal("5,000", row.GetProperty("numberofemployees@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("Active", row.GetProperty("statecode@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.False(row.TryGetProperty("name@OData.Community.Display.V1.FormattedValue", out _));
    }

    // Bad $select/$filter are 400s from the OData parser (observed Dataverse shape: code "0x0", message
    // "Could not find a property named 'x' on type 'Microsoft.Dynamics.CRM.account'"), never a crash.
    [Theory]
    [InlineData("accounts?$select=nosuchcolumn", "nosuchcolumn")]
    [InlineData("accounts?$select=Name", "Name")]
    [InlineData("accounts?$filter=nosuchcolumn eq 1", "nosuchcolumn")]
    [InlineData("accounts?$filter=name eq", "")]
    [InlineData("accounts?$filter=numberofemployees eq 'many'", "")]
    [InlineData("accounts?$skip=10", "$skip")]
    [InlineData("accounts?$top=-1", "")]
    [InlineData("accounts?$skiptoken=garbage", "$skiptoken")]
    public async Task BadQuery_Answers400(string url, string mentioned)
    {
        using var api = WithAccounts(out _);
        var (response, body) = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
        Assert.StartsWith("0x", WebApiFixture.ErrorCode(body), StringComparison.Ordinal);
    }

    // "Page results": Prefer: odata.maxpagesize pages with @odata.nextLink ($skiptoken holds a paging cookie) and
    // Preference-Applied; following nextLink unchanged walks every row exactly once. 20,000 rows seeded directly.
    [Fact]
    public async Task Paging_20000Rows_NoGapsNoRepeats()
    {
        using var api = new WebApiFixture();
        api.Org.Seed(Enumerable.Range(0, 20_000).Select(i => new Entity("account") { ["name"] = $"Account {i % 997:D4}" }));
        var seen = new HashSet<Guid>();
        string? next = "accounts?$select=name&$orderby=name";
        var pages = 0;
        while (next is not null)
        {
            var (response, body) = await api.GetAsync(next, ("Prefer", "odata.maxpagesize=5000"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("odata.maxpagesize=5000", response.Headers.GetValues("Preference-Applied").Single());
            foreach (var row in body.GetProperty("value").EnumerateArray())
            {
                Assert.True(seen.Add(row.GetProperty("accountid").GetGuid()), "a row came back twice");
            }

            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            if (next is not null)
            {
                Assert.Contains("$skiptoken=", next, StringComparison.Ordinal);
            }

            pages++;
        }

        Assert.Equal(20_000, seen.Count);
        Assert.Equal(4, pages);
    }

    // Dataverse orders uniqueidentifier columns as SQL Server does (the last six bytes weigh most), not by
    // Guid.CompareTo nor by text: Microsoft Learn, "Comparing GUID and uniqueidentifier values"; SqlGuid implements
    // that order and is the oracle here. $orderby=accountid and the key-based nextLink follow it, so a client that
    // reads a table in server order gets the same, stable order across pages.
    [Fact]
    public async Task OrderByAccountId_FollowsSqlServerOrder_AcrossNextLinkPages()
    {
        using var api = new WebApiFixture();
        var random = new Random(11);
        var bytes = new byte[16];
        var ids = new List<Guid>();
        for (var i = 0; i < 53; i++)
        {
            random.NextBytes(bytes);
            ids.Add(new Guid(bytes));
        }

        api.Org.Seed(ids.Select(id => new Entity("account", id) { ["name"] = "Same name" }));
        var got = new List<Guid>();
        string? next = "accounts?$select=name&$orderby=accountid";
        while (next is not null)
        {
            var (response, body) = await api.GetAsync(next, ("Prefer", "odata.maxpagesize=10"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            got.AddRange(body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("accountid").GetGuid()));
            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        var expected = ids.OrderBy(g => new System.Data.SqlTypes.SqlGuid(g)).ToList();
        Assert.Equal(expected, got);
        Assert.NotEqual(ids.OrderBy(g => g).ToList(), expected);
        Assert.NotEqual(ids.OrderBy(g => g.ToString(), StringComparer.Ordinal).ToList(), expected);
    }

    // Paging by key: a row inserted before the current position while paging does not shift later pages
    // (no row skipped, none repeated), because the skiptoken carries the last row's key, not an offset.
    [Fact]
    public async Task Paging_InsertBehindCursor_NoGap()
    {
        using var api = new WebApiFixture();
        api.Org.Seed(Enumerable.Range(0, 10).Select(i => new Entity("account") { ["name"] = $"N{i:D2}" }));
        var (_, first) = await api.GetAsync("accounts?$select=name&$orderby=name", ("Prefer", "odata.maxpagesize=4"));
        api.SeedAccount("N00a");
        var (_, second) = await api.GetAsync(first.GetProperty("@odata.nextLink").GetString()!, ("Prefer", "odata.maxpagesize=4"));

        Assert.Equal(new[] { "N00", "N01", "N02", "N03" }, Names(first));
        Assert.Equal(new[] { "N04", "N05", "N06", "N07" }, Names(second));
    }

    // "Use FetchXml to query data" / "Page results using FetchXml": the response carries
    // @Microsoft.Dynamics.CRM.fetchxmlpagingcookie and morerecords; the pagingcookie attribute is URL-encoded twice and
    // goes into the next fetch's paging-cookie with page + 1. Null columns are left out of FetchXML results.
    [Fact]
    public async Task FetchXml_PagingCookies_WalkAllRows()
    {
        using var api = new WebApiFixture();
        api.Org.Seed(Enumerable.Range(0, 25).Select(i => new Entity("account") { ["name"] = $"F{i:D2}" }));
        var names = new List<string>();
        var page = 1;
        string? cookie = null;
        while (true)
        {
            var fetch = new XElement("fetch", new XAttribute("count", 10), new XAttribute("page", page),
                new XElement("entity", new XAttribute("name", "account"),
                    new XElement("attribute", new XAttribute("name", "name")),
                    new XElement("attribute", new XAttribute("name", "numberofemployees")),
                    new XElement("order", new XAttribute("attribute", "name"))));
            if (cookie is not null)
            {
                fetch.Add(new XAttribute("paging-cookie", cookie));
            }

            var (response, body) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString(fetch.ToString(SaveOptions.DisableFormatting)),
                ("Prefer", "odata.include-annotations=\"Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords\""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var row in body.GetProperty("value").EnumerateArray())
            {
                names.Add(row.GetProperty("name").GetString()!);
                Assert.False(row.TryGetProperty("numberofemployees", out _));
            }

            if (!body.TryGetProperty("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie", out var annotation))
            {
                Assert.False(body.TryGetProperty("@Microsoft.Dynamics.CRM.morerecords", out _));
                break;
            }

            Assert.True(body.GetProperty("@Microsoft.Dynamics.CRM.morerecords").GetBoolean());
            var element = XElement.Parse(annotation.GetString()!);
            Assert.Equal(page + 1, (int)element.Attribute("pagenumber")!);
            cookie = Uri.UnescapeDataString(Uri.UnescapeDataString(element.Attribute("pagingcookie")!.Value));
            page++;
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"F{i:D2}"), names);
        Assert.Equal(3, page);
    }

    // "Use FetchXml to query data": the entity set in the URL must match the fetch's entity.
    [Fact]
    public async Task FetchXml_WrongEntitySet_Answers400()
    {
        using var api = new WebApiFixture();
        var (response, body) = await api.GetAsync("contacts?fetchXml=" + Uri.EscapeDataString("<fetch><entity name='account'><attribute name='name'/></entity></fetch>"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("accounts", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // Aggregate FetchXML over the Web API (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data
    // with "Use FetchXml to query data" for ?fetchXml=): each result row is an object whose properties are the aliases,
    // with no etag or id; a null group value is left out, as FetchXML results leave out null columns.
    [Fact]
    public async Task FetchXml_Aggregate_ReturnsAliasedColumns()
    {
        using var api = WithAccounts(out _);
        const string fetch = "<fetch aggregate='true'><entity name='account'>"
            + "<attribute name='numberofemployees' alias='total' aggregate='sum'/>"
            + "<attribute name='accountid' alias='accounts' aggregate='count'/>"
            + "<attribute name='address1_country' alias='country' groupby='true'/>"
            + "<order alias='total' descending='true'/></entity></fetch>";

        var (response, body) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString(fetch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = body.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal("Germany", rows[0].GetProperty("country").GetString());
        Assert.Equal(5500, rows[0].GetProperty("total").GetInt32());
        Assert.Equal(2, rows[0].GetProperty("accounts").GetInt32());
        Assert.False(rows[0].TryGetProperty("@odata.etag", out _));
        Assert.Equal(10, rows[2].GetProperty("total").GetInt32());
        Assert.False(rows[2].TryGetProperty("country", out _));
        Assert.Equal(2, rows[2].GetProperty("accounts").GetInt32());
    }

    // The aggregate record limit reaches an HTTP caller as Dataverse's error code 0x8004E023.
    [Fact]
    public async Task FetchXml_AggregateOverTheLimit_Answers400WithTheCode()
    {
        using var api = WithAccounts(out _);
        var (response, body) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString(
            "<fetch aggregate='true' aggregatelimit='2'><entity name='account'><attribute name='accountid' alias='n' aggregate='count'/></entity></fetch>"));

        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal("0x8004e023", body.GetProperty("error").GetProperty("code").GetString()!.ToLowerInvariant());
        Assert.Contains("AggregateQueryRecordLimit exceeded", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // A fiscal-period date grouping answers the period number, with its label as the formatted value when asked for
    // (Learn's aggregation example labels 25 March 2023 "Quarter 1 FY2023" under the default quarterly fiscal year).
    [Fact]
    public async Task FetchXml_AggregateFiscalGrouping_HasTheLabelAsFormattedValue()
    {
        using var api = WithAccounts(out _);
        const string fetch = "<fetch aggregate='true'><entity name='account'>"
            + "<attribute name='accountid' alias='n' aggregate='count'/>"
            + "<attribute name='createdon' alias='period' groupby='true' dategrouping='fiscal-period'/></entity></fetch>";

        var (response, body) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString(fetch),
            ("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(5, row.GetProperty("n").GetInt32());
        var label = row.GetProperty("period@OData.Community.Display.V1.FormattedValue").GetString()!;
        Assert.Matches(@"^Quarter [1-4] FY\d{4}$", label);
        Assert.Equal(label[8] - '0', row.GetProperty("period").GetInt32());
    }
}
