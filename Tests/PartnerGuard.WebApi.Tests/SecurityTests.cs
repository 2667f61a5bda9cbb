using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// The security model over HTTP: every route and $batch go through the org's checks, as the bearer token's user.
/// Dataverse answers a missing privilege with 403 and the OData error body {"error":{"code":"0x80040220","message":
/// "Principal user (Id=…, type=8, …), is missing prv… privilege (Id=…) on OTC=… for entity '…' …"}} (a Dynamics 365
/// community thread quotes a real response in full, with ApiExceptionHttpStatusCode 403 and ApiExceptionMessageName
/// PrivilegeDenied; Microsoft Learn "Compose HTTP requests and handle errors" lists 403 for privilege errors).
/// </summary>
public sealed class SecurityTests
{
    private static readonly Guid Seller = Guid.NewGuid();
    private static readonly Guid Colleague = Guid.NewGuid();

    private static WebApiFixture Api(params (string Privilege, PrivilegeDepth Depth)[] privileges) => new(
        new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller"] = Seller, ["colleague"] = Colleague } },
        org =>
        {
            org.CreateUser("Sam Seller", id: Seller);
            org.CreateUser("Cole Colleague", id: Colleague);
            if (privileges.Length > 0)
            {
                RoleAssignments.Give(org, Seller, RoleAssignments.Define(org, "Seller role", privileges));
            }

            org.Seed(new Entity("account") { ["name"] = "Seller's", ["ownerid"] = new EntityReference("systemuser", Seller) });
            org.Seed(new Entity("account") { ["name"] = "Colleague's", ["ownerid"] = new EntityReference("systemuser", Colleague) });
        });

    private static readonly (string, string) AsSeller = ("Authorization", "Bearer seller");

    [Fact]
    public async Task MissingPrivilege_Is403_WithDataversesCodeAndMessageShape()
    {
        using var api = Api(("prvReadAccount", PrivilegeDepth.Global));

        var (response, body) = await api.SendAsync(HttpMethod.Post, "contacts", """{"lastname":"New"}""", AsSeller);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("0x80040220", WebApiFixture.ErrorCode(body));
        Assert.Matches(DocumentedShape(Seller, "prvCreateContact", 2, "contact", "Contact"), WebApiFixture.ErrorMessage(body));
        Assert.Equal(0, api.Org.Count("contact"));
    }

    // The same over a real HTTP connection: the emulator's Web API hosted by Kestrel on a loopback port.
    [Fact]
    public async Task MissingPrivilege_OverRealHttp_Is403WithTheDocumentedShape()
    {
        var org = DataverseOrg.Create();
        var seller = org.CreateUser("Sam Seller");
        await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0",
            new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller"] = seller } });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "accounts?$select=name");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "seller");

        using var response = await http.SendAsync(request);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("0x80040220", error.GetProperty("code").GetString());
        Assert.Matches(DocumentedShape(seller, "prvReadAccount", 1, "account", "Account", roleCount: 0, privilegeCount: 0), error.GetProperty("message").GetString());
    }

    /// <summary>The message shape of a real PrivilegeDenied response, without the AADObjectId and MetadataCachePrivilegesCount parts.</summary>
    private static Regex DocumentedShape(Guid user, string privilege, int objectTypeCode, string table, string localizedName, int roleCount = 1, int privilegeCount = 1)
    {
        const string guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
        return new Regex(
            $@"^Principal user \(Id={user:D}, type=8, roleCount={roleCount}, privilegeCount={privilegeCount}, accessMode='0 Read-Write', businessUnitId={guid}\), " +
            $@"is missing {privilege} privilege \(Id={guid}\) on OTC={objectTypeCode} for entity '{table}' \(LocalizedName='{localizedName}'\)\. " +
            $@"context\.Caller={user:D}\. Consider adding missed privilege to one of the principal \(user/team\) roles\.$");
    }

    [Fact]
    public async Task Collections_AreFiltered_SingleRowsOutsideTheDepthAre403()
    {
        using var api = Api(("prvReadAccount", PrivilegeDepth.Basic));
        var colleagues = api.Org.GetService().RetrieveMultiple(new Microsoft.Xrm.Sdk.Query.QueryByAttribute("account") { Attributes = { "name" }, Values = { "Colleague's" } }).Entities.Single().Id;

        var (list, listBody) = await api.GetAsync("accounts?$select=name", AsSeller);
        var (fetch, fetchBody) = await api.GetAsync("accounts?fetchXml=" + Uri.EscapeDataString("<fetch><entity name='account'><attribute name='name'/></entity></fetch>"), AsSeller);
        var (single, singleBody) = await api.GetAsync($"accounts({colleagues})", AsSeller);
        var (contacts, contactsBody) = await api.GetAsync("contacts", AsSeller);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(new[] { "Seller's" }, listBody.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(new[] { "Seller's" }, fetchBody.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, single.StatusCode);
        Assert.Equal("0x80048306", WebApiFixture.ErrorCode(singleBody));
        Assert.Equal(HttpStatusCode.Forbidden, contacts.StatusCode);
        Assert.Equal("0x80040220", WebApiFixture.ErrorCode(contactsBody));
    }

    // $batch runs each operation as the caller: the allowed one succeeds, the refused one answers 403 in its part.
    [Fact]
    public async Task Batch_EachOperationIsCheckedAsTheCaller()
    {
        using var api = Api(("prvCreateAccount", PrivilegeDepth.Global));
        const string root = "http://localhost/api/data/v9.2/";
        var body = new StringBuilder();
        foreach (var (set, json) in new[] { ("accounts", """{"name":"Allowed"}"""), ("contacts", """{"lastname":"Refused"}""") })
        {
            body.Append("--batch_S\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append("POST ").Append(root).Append(set).Append(" HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n")
                .Append(json).Append("\r\n");
        }

        body.Append("--batch_S--\r\n");
        var request = WebApiFixture.Request(HttpMethod.Post, "$batch", null, AsSeller, ("Prefer", "odata.continue-on-error"));
        request.Content = new StringContent(body.ToString(), Encoding.UTF8);
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=\"batch_S\"");

        var response = await api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 204, 403 }, text.Split('\n').Where(l => l.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)).Select(l => int.Parse(l.Split(' ')[1])));
        Assert.Contains("is missing prvCreateContact privilege", text, StringComparison.Ordinal);
        Assert.Equal(3, api.Org.Count("account"));
    }

    // "Bypass custom business logic": the headers need the privileges (prvBypassCustomBusinessLogic for
    // MSCRM.BypassBusinessLogicExecution, prvBypassCustomPlugins for MSCRM.BypassCustomPluginExecution); a role that
    // gives one lets a non-administrator use that header and no other.
    [Fact]
    public async Task BypassHeaders_NeedTheirPrivilege_WhichARoleCanGive()
    {
        using var api = Api(("prvCreateAccount", PrivilegeDepth.Global), (Privileges.BypassCustomPlugins, PrivilegeDepth.Global));
        api.Org.RegisterStep<RefuseAll>("Create", "account", PipelineStage.PreOperation);

        var (legacy, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Bypassed"}""", AsSeller, ("MSCRM.BypassCustomPluginExecution", "true"));
        var (logic, logicBody) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Refused"}""", AsSeller, ("MSCRM.BypassBusinessLogicExecution", "CustomSync"));
        var (plain, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Refused by the plug-in"}""", AsSeller);

        Assert.Equal(HttpStatusCode.NoContent, legacy.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, logic.StatusCode);
        Assert.Contains($"is missing {Privileges.BypassCustomBusinessLogic} privilege (Id=0ea552b0-a491-4470-9a1b-82068deccf66)", WebApiFixture.ErrorMessage(logicBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(3, api.Org.Count("account"));
    }

    // "Impersonate another user using the Web API": the real caller needs prvActOnBehalfOfAnotherUser; the request then
    // runs with the impersonated user's privileges.
    [Fact]
    public async Task Impersonation_NeedsActOnBehalfOfAnotherUser_AndRunsAsTheImpersonatedUser()
    {
        using var api = Api(("prvReadAccount", PrivilegeDepth.Global));
        var (refused, refusedBody) = await api.GetAsync("accounts", AsSeller, ("MSCRMCallerID", Colleague.ToString()));
        RoleAssignments.Give(api.Org, Seller, RoleAssignments.Define(api.Org, "Delegate", (Privileges.ActOnBehalfOfAnotherUser, PrivilegeDepth.Global)));

        var (asColleague, colleagueBody) = await api.GetAsync("accounts", AsSeller, ("MSCRMCallerID", Colleague.ToString()));
        var (asAdmin, _) = await api.GetAsync("accounts", ("MSCRMCallerID", Colleague.ToString()));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"is missing {Privileges.ActOnBehalfOfAnotherUser} privilege", WebApiFixture.ErrorMessage(refusedBody), StringComparison.Ordinal);
        // The colleague holds no role: impersonating it gives its (missing) privileges, not the seller's.
        Assert.Equal(HttpStatusCode.Forbidden, asColleague.StatusCode);
        Assert.Contains($"Principal user (Id={Colleague:D}", WebApiFixture.ErrorMessage(colleagueBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, asAdmin.StatusCode);
    }

    // Roles are given over the Web API as in Dataverse ("Associate and disassociate table rows using the Web API"):
    // POST systemusers(id)/systemuserroles_association/$ref with the role's @odata.id, DELETE …(roleid)/$ref.
    [Fact]
    public async Task RolesAreGivenAndTakenWithRef_AndOnlyByWhoMayWriteTheUser()
    {
        using var api = Api();
        var role = RoleAssignments.Define(api.Org, "Readers", ("prvReadAccount", PrivilegeDepth.Global));
        var link = $$"""{"@odata.id":"http://localhost/api/data/v9.2/roles({{role:D}})"}""";

        var (bySeller, sellerBody) = await api.SendAsync(HttpMethod.Post, $"systemusers({Seller:D})/systemuserroles_association/$ref", link, AsSeller);
        var (given, _) = await api.SendAsync(HttpMethod.Post, $"systemusers({Seller:D})/systemuserroles_association/$ref", link);
        var (reads, readsBody) = await api.GetAsync("accounts?$select=name", AsSeller);
        var (taken, _) = await api.SendAsync(HttpMethod.Delete, $"systemusers({Seller:D})/systemuserroles_association({role:D})/$ref");
        var (after, _) = await api.GetAsync("accounts?$select=name", AsSeller);

        Assert.Equal(HttpStatusCode.Forbidden, bySeller.StatusCode);
        Assert.Contains("is missing prvWriteSystemUser privilege", WebApiFixture.ErrorMessage(sellerBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, given.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        Assert.Equal(2, readsBody.GetProperty("value").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    /// <summary>Refuses every create it sees.</summary>
    public sealed class RefuseAll : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider) => throw new InvalidPluginExecutionException("Refused by the plug-in.");
    }
}
