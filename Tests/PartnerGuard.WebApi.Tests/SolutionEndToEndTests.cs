using System.Net;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// PartnerGuard's own solution (solution/src) loaded into the org and used over HTTP the way a seller's client or
/// the console does: navigation names from the solution's schema names, the plugin's catalogued refusal as a
/// Dataverse error.
/// </summary>
public sealed class SolutionEndToEndTests
{
    private const int PartnerChannel = 723100000;

    private static (DataverseOrg Org, HttpClient Http, Guid Seller) Create()
    {
        var org = SolutionOrg.Create(typeof(PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly).Org;
        org.SetEnvironmentVariable("pg_EnforcementMode", "Enforce");
        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        var handler = DataverseWebApi.CreateHandler(org, new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller"] = seller } });
        var http = new HttpClient(handler) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "seller");
        return (org, http, seller);
    }

    // DESIGN §1 step 5 in Enforce mode: a deal without partner or rule is refused; over the Web API the seller sees
    // 400 with IsvAborted (0x80040265) and the catalogued PG-001 message (webapi-notes §6.3).
    [Fact]
    public async Task DealWithoutPartner_IsRefusedWithTheCataloguedMessage()
    {
        var (org, http, _) = Create();
        using var _http = http;
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso Ltd" });

        using var response = await http.SendAsync(WebApiFixture.Request(HttpMethod.Post, "opportunities",
            $$"""{"name":"Deal","customerid_account@odata.bind":"/accounts({{customer}})"}"""));
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80040265", WebApiFixture.ErrorCode(body));
        Assert.EndsWith("(PartnerGuard PG-001)", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal(0, org.Count("opportunity"));
    }

    // The solution's lookup pg_partnerid has schema name pg_PartnerId: that is the navigation name to bind (DESIGN §2).
    [Fact]
    public async Task DealWithPartnerBoundByNavigationName_IsRecordedAsPartner()
    {
        var (org, http, _) = Create();
        using var _http = http;
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso Ltd" });
        var partner = org.Seed(new Entity("account") { ["name"] = "Partner Ltd", ["customertypecode"] = new OptionSetValue(5) });

        using var response = await http.SendAsync(WebApiFixture.Request(HttpMethod.Post, "opportunities",
            $$"""{"name":"Deal","customerid_account@odata.bind":"/accounts({{customer}})","pg_PartnerId@odata.bind":"/accounts({{partner}})"}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entityId = response.Headers.GetValues("OData-EntityId").Single();
        var id = Guid.Parse(entityId[(entityId.IndexOf('(') + 1)..^1]);
        var stored = org.GetService().Retrieve("opportunity", id, new ColumnSet("pg_partnerid", "pg_channel"));
        Assert.Equal(partner, ((EntityReference)stored["pg_partnerid"]).Id);
        Assert.Equal(PartnerChannel, ((OptionSetValue)stored["pg_channel"]).Value);
    }

    // EntityDefinitions gives the console the names it needs: the custom table's entity set and the navigation names
    // (custom lookups by schema name, system lookups such as ownerid by logical name).
    [Fact]
    public async Task EntityDefinitions_ForTheSolutionsTables()
    {
        var (_, http, _) = Create();
        using var _http = http;
        var set = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("EntityDefinitions(LogicalName='pg_directsalesrule')?$select=EntitySetName")).RootElement;
        var navigation = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(
            "EntityDefinitions(LogicalName='pg_directsalesrule')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencingEntityNavigationPropertyName")).RootElement;
        var names = navigation.GetProperty("value").EnumerateArray()
            .ToDictionary(r => r.GetProperty("ReferencingAttribute").GetString()!, r => r.GetProperty("ReferencingEntityNavigationPropertyName").GetString()!);

        Assert.Equal("pg_directsalesrules", set.GetProperty("EntitySetName").GetString());
        Assert.Equal("pg_AccountId", names["pg_accountid"]);
        Assert.Equal("ownerid", names["ownerid"]);
    }
}
