using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Dataverse;

public class WebApiAccountGatewayTests
{
    private static readonly Guid Account = Guid.Parse("10000000-0000-0000-0000-000000000001");
    private static readonly Guid Partner = Guid.Parse("90000000-0000-0000-0000-00000000000a");
    private static readonly Guid Team = Guid.Parse("70000000-0000-0000-0000-00000000000a");
    private static readonly Guid Seller = Guid.Parse("50000000-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    // webapi-notes §2.1: only changed columns are sent; the bind name is the navigation property (schema name).
    [Fact]
    public void Changes_SendOnlyWhatDiffers_WithBindsForLookups()
    {
        var prior = new AccountState(null, Seller, "systemuser", null, null);
        var target = new AccountState(Partner, Team, "team", Now, "w1");

        var apply = WebApiAccountGateway.Changes(new AccountChange(Account, prior, target), "pg_AssignedPartnerId", "accounts");
        var partnerOnly = WebApiAccountGateway.Changes(new AccountChange(Account, prior, target with { OwnerId = null, OwnerTable = null }), "pg_AssignedPartnerId", "accounts");

        Assert.Equal(
            """{"pg_AssignedPartnerId@odata.bind":"/accounts(90000000-0000-0000-0000-00000000000a)","ownerid@odata.bind":"/teams(70000000-0000-0000-0000-00000000000a)","pg_partnerassignedon":"2026-11-27T08:00:00Z","pg_assignmentrun":"w1"}""",
            apply.ToJsonString());
        Assert.False(partnerOnly.ContainsKey("ownerid@odata.bind"));
    }

    // Doc "Associate and disassociate table rows using the Web API": set the single-valued navigation
    // property's @odata.bind to null to disassociate — how undo clears the partner.
    [Fact]
    public void Changes_Undo_ClearsThePartnerWithANullBind()
    {
        var applied = new AccountState(Partner, Team, "team", Now, "w1");
        var prior = new AccountState(null, Seller, "systemuser", null, null);

        var undo = WebApiAccountGateway.Changes(new AccountChange(Account, applied, prior), "pg_AssignedPartnerId", "accounts");

        Assert.Equal(
            """{"pg_AssignedPartnerId@odata.bind":null,"ownerid@odata.bind":"/systemusers(50000000-0000-0000-0000-000000000001)","pg_partnerassignedon":null,"pg_assignmentrun":null}""",
            undo.ToJsonString());
    }

    [Fact]
    public async Task Read_AsksForTheOwnerTableAnnotation_AndMapsTheState()
    {
        var org = SolutionOrg.Create(pluginAssembly: null).Org;
        org.Seed(new Entity("team", Team) { ["name"] = "Partner desk", ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId), ["teamtype"] = new OptionSetValue(0) });
        org.Seed(new Entity("account", Partner) { ["name"] = "Fabrikam Partners", ["customertypecode"] = new OptionSetValue(5) });
        org.Seed(new Entity("account", Account)
        {
            ["name"] = "Contoso",
            ["pg_assignedpartnerid"] = new EntityReference("account", Partner),
            ["ownerid"] = new EntityReference("team", Team),
            ["pg_partnerassignedon"] = Now.UtcDateTime,
            ["pg_assignmentrun"] = "w1",
        });
        var transport = FakeDataverseHandler.Over(DataverseWebApi.CreateHandler(org));
        var gateway = new WebApiAccountGateway(WebApiTestHarness.Create(transport, out _), WritePath.Auto);

        var states = await gateway.ReadAsync([Account, Guid.Parse("10000000-0000-0000-0000-000000000002")], CancellationToken.None);

        Assert.Equal(new AccountState(Partner, Team, "team", Now, "w1"), states[Account]);
        Assert.Single(states); // the second account does not exist any more
        var query = transport.Requests[1];
        // Doc "Filter rows using OData" (Dataverse query functions): In(PropertyName='…',PropertyValues=['…','…']).
        Assert.Contains("$filter=Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=['10000000-0000-0000-0000-000000000001','10000000-0000-0000-0000-000000000002'])", Uri.UnescapeDataString(query.PathAndQuery), StringComparison.Ordinal);
        Assert.Contains("odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"", query.Header("Prefer"), StringComparison.Ordinal);
    }

    // 100 ids per read (the chunk) with In(...) stay far below the Web API's 32,768-character URL limit ("Compose
    // HTTP requests and handle errors", Maximum URL length): about 4,300 characters, so no read needs $batch.
    [Fact]
    public async Task Read_OfManyIds_ChunksBy100_WithShortUrls()
    {
        var transport = FakeDataverseHandler.Over(DataverseWebApi.CreateHandler(SolutionOrg.Create(pluginAssembly: null).Org));
        var gateway = new WebApiAccountGateway(WebApiTestHarness.Create(transport, out _), WritePath.Auto);
        var ids = Enumerable.Range(1, 250).Select(i => new Guid($"10000000-0000-0000-0000-{i:D12}")).ToList();

        await gateway.ReadAsync(ids, CancellationToken.None);

        var reads = transport.Requests.Skip(1).ToList();
        Assert.Equal(3, reads.Count);
        Assert.All(reads, r => Assert.Equal(HttpMethod.Get, r.Method));
        Assert.All(reads, r => Assert.InRange(r.Uri.AbsoluteUri.Length, 1, 5_000));
        var sent = reads.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(Uri.UnescapeDataString(r.Uri.Query), "'([0-9a-f-]{36})'").Select(m => Guid.Parse(m.Groups[1].Value))).ToList();
        Assert.Equal(ids, sent);
    }
}
