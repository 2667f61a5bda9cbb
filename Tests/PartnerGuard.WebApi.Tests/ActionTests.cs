using System.Net;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

public sealed class ActionTests
{
    /// <summary>A plugin that refuses accounts named "Blocked", as a PartnerGuard rule would.</summary>
    public sealed class RefuseBlockedAccounts : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            if (context.InputParameters["Target"] is Entity target && target.GetAttributeValue<string>("name") == "Blocked")
            {
                throw new InvalidPluginExecutionException("This account needs a partner. (PartnerGuard PG-001)");
            }
        }
    }

    /// <summary>A plugin that traces a line and refuses every account with an OperationStatus and its own error code.</summary>
    public sealed class RefuseWithErrorCode : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            tracing.Trace("Checking the account.");
            throw new InvalidPluginExecutionException(OperationStatus.Canceled, 12345, "This account needs a partner.");
        }
    }

    // "Use bulk operation messages": POST {set}/Microsoft.Dynamics.CRM.UpdateMultiple with Targets carrying
    // @odata.type answers 204 and updates every target.
    [Fact]
    public async Task UpdateMultiple_UpdatesEveryTarget()
    {
        using var api = new WebApiFixture();
        var partner = api.SeedAccount("Partner");
        var ids = Enumerable.Range(0, 3).Select(i => api.SeedAccount($"C{i}")).ToArray();
        var targets = string.Join(",", ids.Select(id => $$"""{"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{id}}","pg_AssignedPartnerId@odata.bind":"/accounts({{partner}})"}"""));

        var (response, _) = await api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", $$"""{"Targets":[{{targets}}]}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var id in ids)
        {
            var row = api.Org.GetService().Retrieve("account", id, new ColumnSet("pg_assignedpartnerid"));
            Assert.Equal(partner, ((EntityReference)row["pg_assignedpartnerid"]).Id);
        }
    }

    // Bulk operation messages: @odata.type is required on every target.
    [Fact]
    public async Task UpdateMultiple_TargetWithoutODataType_Answers400()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("C");
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", $$"""{"Targets":[{"accountid":"{{id}}","name":"x"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("@odata.type", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // CreateMultiple answers 200 with the new Ids.
    [Fact]
    public async Task CreateMultiple_ReturnsIds()
    {
        using var api = new WebApiFixture();
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"A"},{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"B"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("Ids").GetArrayLength());
        Assert.Equal(2, api.Org.Count("account"));
    }

    // webapi-notes §6.3: a plugin's InvalidPluginExecutionException reaches the caller as 400 with code 0x80040265
    // and the plugin's message verbatim; on a standard table UpdateMultiple is one transaction, so nothing changes.
    [Fact]
    public async Task PluginException_Answers400WithItsMessage()
    {
        using var api = new WebApiFixture(configure: org => org.RegisterStep<RefuseBlockedAccounts>("Create", "account", PipelineStage.PreOperation));
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Blocked"}""");
        var (bulk, bulkBody) = await api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Fine"},{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Blocked"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80040265", WebApiFixture.ErrorCode(body));
        Assert.Equal("This account needs a partner. (PartnerGuard PG-001)", WebApiFixture.ErrorMessage(body));
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Equal("0x80040265", WebApiFixture.ErrorCode(bulkBody));
        Assert.Equal(0, api.Org.Count("account"));
    }

    // learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors, "Include
    // additional details with errors": with Prefer: odata.include-annotations="*", a plug-in's
    // InvalidPluginExecutionException(OperationStatus, int, string) answers with the OperationStatus and SubErrorCode it
    // set, the help link, the plug-in's trace and the inner error's message as annotations of the error.
    [Fact]
    public async Task PluginException_WithAnnotations_CarriesItsDetails()
    {
        using var api = new WebApiFixture(configure: org => org.RegisterStep<RefuseWithErrorCode>("Create", "account", PipelineStage.PreOperation));
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Contoso"}""", ("Prefer", "odata.include-annotations=\"*\""));
        var (_, plain) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Contoso"}""");

        var error = body.GetProperty("error");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80040265", error.GetProperty("code").GetString());
        Assert.Equal("1", error.GetProperty("@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus").GetString());
        Assert.Equal("12345", error.GetProperty("@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode").GetString());
        Assert.Equal("http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a80040265&client=platform",
            error.GetProperty("@Microsoft.PowerApps.CDS.HelpLink").GetString());
        Assert.Contains("Checking the account.", error.GetProperty("@Microsoft.PowerApps.CDS.TraceText").GetString(), StringComparison.Ordinal);
        Assert.Equal("This account needs a partner.", error.GetProperty("@Microsoft.PowerApps.CDS.InnerError.Message").GetString());
        // Without the preference the error is code and message only.
        Assert.Equal(new[] { "code", "message" }, plain.GetProperty("error").EnumerateObject().Select(p => p.Name).ToArray());
    }

    // "Bypass custom business logic": MSCRM.BypassBusinessLogicExecution skips custom plugins for a caller that holds
    // the privilege (the administrator by default) and is refused (403, PrivilegeDenied 0x80040220) for anyone else.
    [Fact]
    public async Task BypassHeaders_HonouredOnlyForAllowedCallers()
    {
        var sellerId = Guid.NewGuid();
        using var api = new WebApiFixture(
            new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller"] = sellerId } },
            org =>
            {
                org.CreateUser("Sam Seller", id: sellerId);
                org.RegisterStep<RefuseBlockedAccounts>("Create", "account", PipelineStage.PreOperation);
            });

        var (admin, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Blocked"}""", ("MSCRM.BypassBusinessLogicExecution", "CustomSync,CustomAsync"));
        var (legacy, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Blocked"}""", ("MSCRM.BypassCustomPluginExecution", "true"));
        var (seller, sellerBody) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Blocked"}""",
            ("Authorization", "Bearer seller"), ("MSCRM.BypassBusinessLogicExecution", "CustomSync"));

        Assert.Equal(HttpStatusCode.NoContent, admin.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, legacy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, seller.StatusCode);
        Assert.Equal("0x80040220", WebApiFixture.ErrorCode(sellerBody));
        Assert.Equal(2, api.Org.Count("account"));
    }

    // "Query table definitions": EntityDefinitions(LogicalName='account')?$select=EntitySetName, and
    // ManyToOneRelationships with ReferencingEntityNavigationPropertyName (the name @odata.bind needs).
    [Fact]
    public async Task EntityDefinitions_EntitySetAndNavigationNames()
    {
        using var api = new WebApiFixture();
        var (response, entity) = await api.GetAsync("EntityDefinitions(LogicalName='account')?$select=LogicalName,EntitySetName");
        var (_, relationships) = await api.GetAsync("EntityDefinitions(LogicalName='account')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName&$filter="
            + Uri.EscapeDataString("ReferencingAttribute eq 'pg_assignedpartnerid'"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("accounts", entity.GetProperty("EntitySetName").GetString());
        Assert.False(entity.TryGetProperty("PrimaryNameAttribute", out _));
        var relationship = Assert.Single(relationships.GetProperty("value").EnumerateArray());
        Assert.Equal("pg_AssignedPartnerId", relationship.GetProperty("ReferencingEntityNavigationPropertyName").GetString());
        Assert.Equal("account", relationship.GetProperty("ReferencedEntity").GetString());
    }

    // The sdkmessagefilters probe bulk tools use to learn whether a table supports UpdateMultiple (webapi-notes §3.2).
    [Fact]
    public async Task SdkMessageFilters_ProbeForUpdateMultiple()
    {
        using var api = new WebApiFixture();
        var filter = Uri.EscapeDataString("sdkmessageid/name eq 'UpdateMultiple' and primaryobjecttypecode eq 'account'");
        var (response, body) = await api.GetAsync($"sdkmessagefilters?$select=sdkmessagefilterid&$filter={filter}&$top=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("value").GetArrayLength());
    }

    // $metadata is the CSDL of the model the query parser uses: lookups as _x_value, navigation names by schema name.
    [Fact]
    public async Task Metadata_DescribesLookupsAndNavigation()
    {
        using var api = new WebApiFixture();
        var text = await api.Http.GetStringAsync("$metadata");

        Assert.Contains("Name=\"_pg_assignedpartnerid_value\"", text, StringComparison.Ordinal);
        Assert.Contains("NavigationProperty Name=\"pg_AssignedPartnerId\"", text, StringComparison.Ordinal);
        Assert.Contains("EntitySet Name=\"accounts\"", text, StringComparison.Ordinal);
    }
}
