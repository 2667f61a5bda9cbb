using PartnerGuard.Testing;
using System.Net;
using System.ServiceModel;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// The solution's pg_CheckChannel Custom API in the emulator: registered from customapis/ by LoadSolution, run through
/// its plug-in type (stage 30) over the SDK (<c>OrganizationRequest("pg_CheckChannel")</c>) and as a Web API function
/// (GET with parameter aliases), answering what a save then does.
/// </summary>
public sealed class CustomApiTests
{
    private static (DataverseOrg Org, HttpClient Http, Guid Seller) Create()
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = PluginTypeResolver.FromAssemblies(typeof(PartnerGuard.Plugins.CheckChannel).Assembly) });
        var loaded = org.LoadSolution(RepoPaths.SolutionSource);
        Assert.Equal(["pg_CheckChannel"], loaded.CustomApis);
        org.SetEnvironmentVariable("pg_EnforcementMode", "Enforce");
        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        var handler = DataverseWebApi.CreateHandler(org, new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller"] = seller } });
        var http = new HttpClient(handler) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "seller");
        return (org, http, seller);
    }

    [Fact]
    public void Sdk_AssignedPartner_AnswersPartnerWithItsNameAndWritesNothing()
    {
        var (org, http, seller) = Create();
        http.Dispose();
        var partner = org.Seed(new Entity("account") { ["name"] = "Northwind Traders", ["customertypecode"] = new OptionSetValue(5) });
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso Ltd", ["pg_assignedpartnerid"] = new EntityReference("account", partner) });
        var opportunitiesBefore = org.Count("opportunity");

        var response = org.GetService(seller).Execute(new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", customer) });

        Assert.Equal("pg_CheckChannel", response.ResponseName);
        Assert.Equal("Partner", response.Results["Outcome"]);
        Assert.Equal("", response.Results["Code"]);
        Assert.Equal("Northwind Traders", response.Results["PartnerName"]);
        Assert.Equal(partner, ((EntityReference)response.Results["Partner"]).Id);
        Assert.Null(response.Results["DirectSalesRule"]);
        Assert.Equal(6, response.Results.Count);
        Assert.Equal(opportunitiesBefore, org.Count("opportunity"));
    }

    [Fact]
    public void Sdk_RequiredParameterMissingOrMistyped_IsRefusedBeforeThePluginRuns()
    {
        var (org, http, seller) = Create();
        http.Dispose();
        var service = org.GetService(seller);

        var missing = Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Execute(new OrganizationRequest("pg_CheckChannel")));
        var mistyped = Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Execute(
            new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", Guid.NewGuid()), ["EstimatedValue"] = 5m }));
        var wrongTable = Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Execute(
            new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", Guid.NewGuid()), ["Partner"] = new EntityReference("contact", Guid.NewGuid()) }));
        var unknown = Assert.Throws<FaultException<OrganizationServiceFault>>(() => service.Execute(
            new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", Guid.NewGuid()), ["Colour"] = "red" }));

        Assert.Contains("Customer", missing.Detail.Message);
        Assert.Contains("must be a Money", mistyped.Detail.Message);
        Assert.Contains("must reference a 'account' row", wrongTable.Detail.Message);
        Assert.Contains("has no parameter 'Colour'", unknown.Detail.Message);
    }

    [Fact]
    public async Task WebApiFunction_NoRule_AnswersBlockedPG001_AndTheSaveIsThenRefused()
    {
        var (org, http, _) = Create();
        using var _http = http;
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso Ltd" });

        var answer = await Get(http, $"pg_CheckChannel(Customer=@p1)?@p1=" + Uri.EscapeDataString($$"""{"@odata.id":"accounts({{customer}})"}"""));
        using var save = await http.SendAsync(WebApiFixture.Request(HttpMethod.Post, "opportunities",
            $$"""{"name":"Deal","customerid_account@odata.bind":"/accounts({{customer}})"}"""));

        Assert.Equal("Blocked", answer.GetProperty("Outcome").GetString());
        Assert.Equal("PG-001", answer.GetProperty("Code").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("Partner").ValueKind);
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.pg_CheckChannelResponse", answer.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Contains(answer.GetProperty("Code").GetString()!, await save.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebApiFunction_SingleQuotedAliasesAndAllParameters_AnswersDirectWithTheRuleAsAnEntityReference()
    {
        var (org, http, seller) = Create();
        using var _http = http;
        var rule = org.GetService(seller).Create(new Entity("pg_directsalesrule")
        {
            ["pg_name"] = "Mega deals", ["pg_kind"] = new OptionSetValue(723100004), ["pg_threshold"] = 500_000m, ["pg_priority"] = 10,
        });
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso Ltd" });
        var partner = org.Seed(new Entity("account") { ["name"] = "Fabrikam", ["customertypecode"] = new OptionSetValue(5), ["statecode"] = new OptionSetValue(1) });
        var currency = org.Seed(new Entity("transactioncurrency") { ["isocurrencycode"] = "JPY", ["currencyname"] = "Yen", ["exchangerate"] = 150m });

        var direct = await Get(http, "pg_CheckChannel(Customer=@p1,EstimatedValue=@p3,TransactionCurrency=@p4)?@p1="
            + Uri.EscapeDataString($"{{'@odata.id':'accounts({customer})'}}") + "&@p3=90000000&@p4=" + Uri.EscapeDataString($"{{'@odata.id':'transactioncurrencies({currency})'}}"));
        var inactive = await Get(http, "pg_CheckChannel(Customer=@p1,Partner=@p2)?@p1="
            + Uri.EscapeDataString($$"""{"@odata.id":"accounts({{customer}})"}""") + "&@p2=" + Uri.EscapeDataString($$"""{"@odata.id":"accounts({{partner}})"}"""));

        Assert.Equal("Direct", direct.GetProperty("Outcome").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.pg_directsalesrule", direct.GetProperty("DirectSalesRule").GetProperty("@odata.type").GetString());
        Assert.Equal(rule.ToString("D"), direct.GetProperty("DirectSalesRule").GetProperty("pg_directsalesruleid").GetString());
        Assert.Contains("Mega deals", direct.GetProperty("Reason").GetString());
        Assert.Equal("PG-002", inactive.GetProperty("Code").GetString());
        Assert.Contains("Fabrikam", inactive.GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task WebApi_FunctionCalledWithPost_IsRefused()
    {
        var (_, http, _) = Create();
        using var _http = http;

        using var response = await http.SendAsync(WebApiFixture.Request(HttpMethod.Post, "pg_CheckChannel", "{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is a function", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LoadSolution_BringsTheOpportunityFormAndItsScript_AsSystemformAndWebresourceRows()
    {
        var (_, http, _) = Create();
        using var _http = http;

        var forms = await Get(http, "systemforms?$select=name,type,formxml&$filter=objecttypecode eq 'opportunity'");
        var scripts = await Get(http, "webresourceset?$select=name,webresourcetype,content&$filter=name eq 'pg_/scripts/opportunity.js'");

        var form = Assert.Single(forms.GetProperty("value").EnumerateArray());
        Assert.Equal("PartnerGuard Opportunity", form.GetProperty("name").GetString());
        Assert.Equal(2, form.GetProperty("type").GetInt32());
        Assert.Contains("functionName=\"PartnerGuard.Opportunity.onLoad\"", form.GetProperty("formxml").GetString());
        var script = Assert.Single(scripts.GetProperty("value").EnumerateArray());
        Assert.Equal(3, script.GetProperty("webresourcetype").GetInt32());
        Assert.Contains("PartnerGuard.Opportunity", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(script.GetProperty("content").GetString()!)));
    }

    private static async Task<JsonElement> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
