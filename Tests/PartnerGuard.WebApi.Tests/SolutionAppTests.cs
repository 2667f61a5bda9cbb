using PartnerGuard.Testing;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// The solution's charts, the Channel health dashboard, the PartnerGuard app and its site map (issue #13), loaded from
/// solution/src and read over the Web API as a client of Dataverse reads them: savedqueryvisualizations, systemforms,
/// appmodules and sitemaps rows, each pointing only at components the org has.
/// </summary>
public sealed class SolutionAppTests : IDisposable
{
    private readonly HttpClient _http;

    public SolutionAppTests()
    {
        var org = DataverseOrg.Create();
        org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);
        _http = new HttpClient(DataverseWebApi.CreateHandler(new DataverseWebApiServer(org))) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Charts_AreServedPerTable_WithTheirAggregateFetchXml()
    {
        var opportunity = await Rows("savedqueryvisualizations?$select=name,datadescription&$filter=primaryentitytypecode eq 'opportunity'&$orderby=name");
        var account = await Rows("savedqueryvisualizations?$select=name&$filter=primaryentitytypecode eq 'account'");

        Assert.Equal(["Channel mix of open deals", "Direct deals by rule"], opportunity.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["Customers per partner"], account.Select(r => r.GetProperty("name").GetString()));
        var mix = XElement.Parse(opportunity[0].GetProperty("datadescription").GetString()!);
        var fetch = mix.Descendants("fetch").Single();
        Assert.Equal("true", (string?)fetch.Attribute("aggregate"));
        Assert.Equal(["count", "sum"], fetch.Descendants("attribute").Select(a => (string?)a.Attribute("aggregate")).OfType<string>().Order());
        Assert.Equal("pg_channel", (string?)fetch.Descendants("attribute").Single(a => (string?)a.Attribute("groupby") == "true").Attribute("name"));
    }

    [Fact]
    public async Task ChannelHealthDashboard_IsADashboardForm_WhoseChartsAndViewsTheOrgHas()
    {
        var dashboards = await Rows("systemforms?$select=name,formxml,objecttypecode&$filter=type eq 0");

        var dashboard = Assert.Single(dashboards);
        Assert.Equal("Channel health", dashboard.GetProperty("name").GetString());
        var form = XElement.Parse(dashboard.GetProperty("formxml").GetString()!);
        var viewIds = form.Descendants("ViewId").Select(v => Guid.Parse(v.Value)).ToList();
        var chartIds = form.Descendants("VisualizationId").Select(v => Guid.Parse(v.Value)).ToList();
        Assert.Equal(5, viewIds.Count);
        Assert.Equal(3, chartIds.Count);
        foreach (var id in viewIds)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(WebApiFixture.Request(HttpMethod.Get, $"savedqueries({id})?$select=name"))).StatusCode);
        }

        foreach (var id in chartIds)
        {
            Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(WebApiFixture.Request(HttpMethod.Get, $"savedqueryvisualizations({id})?$select=name"))).StatusCode);
        }
    }

    [Fact]
    public async Task AccountForm_ShowsTheAssignmentAndThePartnerProfile()
    {
        var form = Assert.Single(await Rows("systemforms?$select=name,formxml&$filter=objecttypecode eq 'account' and type eq 2"));

        Assert.Equal("Account (PartnerGuard)", form.GetProperty("name").GetString());
        var sections = XElement.Parse(form.GetProperty("formxml").GetString()!).Descendants("section")
            .ToDictionary(s => (string)s.Attribute("name")!, s => s.Descendants("control").Select(c => (string?)c.Attribute("datafieldname")).ToList());
        Assert.Equal(["pg_assignedpartnerid", "pg_partnerassignedon", "pg_assignmentrun"], sections["pg_PartnerAssignment"]);
        Assert.Equal(["pg_partnercapacity", "pg_partnercountries", "pg_partnerteamid"], sections["pg_PartnerProfile"]);
    }

    [Fact]
    public async Task PartnerGuardApp_AndItsSiteMap_AreServed_WithTheFourAreas()
    {
        var app = Assert.Single(await Rows("appmodules?$select=name,uniquename,clienttype&$filter=uniquename eq 'pg_PartnerGuard'"));
        var siteMap = Assert.Single(await Rows("sitemaps?$select=sitemapxml&$filter=sitemapnameunique eq 'pg_PartnerGuard'"));

        Assert.Equal("PartnerGuard", app.GetProperty("name").GetString());
        Assert.Equal(4, app.GetProperty("clienttype").GetInt32());
        var map = XElement.Parse(siteMap.GetProperty("sitemapxml").GetString()!);
        Assert.Equal(["Channel", "Partners", "Rules", "Runs"], map.Elements("Area").Select(a => (string?)a.Element("Titles")!.Element("Title")!.Attribute("Title")));
        Assert.Equal(["opportunity", "account", "pg_directsalesrule", "pg_reassignmentrun"],
            map.Descendants("SubArea").Select(s => (string?)s.Attribute("Entity")).OfType<string>());
    }

    private async Task<List<JsonElement>> Rows(string url)
    {
        using var response = await _http.SendAsync(WebApiFixture.Request(HttpMethod.Get, url));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("value").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
