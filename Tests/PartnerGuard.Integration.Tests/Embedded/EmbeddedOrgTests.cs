using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>The console's embedded default org: first use, persistence, the lock, and the plugins behind the Web API.</summary>
[Collection(SeededStateCollection.Name)]
public sealed class EmbeddedOrgTests(SeededStateFixture seeded)
{
    private static readonly string[] Tables = { "account", "opportunity", "pg_directsalesrule", "team", "systemuser", "environmentvariablevalue" };

    [Fact]
    public void Open_FirstUse_LoadsTheSolutionSeedsAndSavesAVersionedStateFile()
    {
        using var temp = new TempDirectory();
        var folder = EmbeddedOrg.FolderFor(temp.Path);

        using (var org = EmbeddedOrg.Open(folder, TimeProvider.System))
        {
            Assert.NotNull(org.Seeded);
            Assert.Equal(DemoDataSet.CustomerCount + org.Seeded!.Partners, org.Org.Count("account"));
            Assert.Equal(DemoDataSet.OpenDealCount, org.Org.Count("opportunity"));
            Assert.Contains(org.Org.Steps, s => s.Table == "opportunity" && s.Message == "Create");
            Assert.Equal(DemoDataSet.EnforcementMode, org.EnforcementMode());
        }

        var state = Path.Combine(folder, EmbeddedOrg.StateFileName);
        Assert.True(File.Exists(state));
        Assert.False(File.Exists(state + ".tmp"));
        using var stream = File.OpenRead(state);
        using var json = JsonDocument.Parse(stream);
        Assert.Equal("partnerguard-emulator-state", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("version").GetInt32());
    }

    [Fact]
    public void Open_SecondRun_LoadsTheSameDataAndRegistersThePluginStepsAgain()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        Dictionary<string, int> first;
        int steps;
        using (var org = EmbeddedOrg.Open(folder, TimeProvider.System))
        {
            Assert.Null(org.Seeded);
            first = Tables.ToDictionary(t => t, org.Org.Count);
            steps = org.Org.Steps.Count;
        }

        using var again = EmbeddedOrg.Open(folder, TimeProvider.System);

        Assert.Null(again.Seeded);
        Assert.Equal(first, Tables.ToDictionary(t => t, again.Org.Count));
        Assert.True(first["account"] > DemoDataSet.CustomerCount);
        Assert.Equal(steps, again.Org.Steps.Count);
        Assert.Contains(again.Org.Steps, s => s.Table == "opportunity" && s.Message == "Update");
    }

    // The lock is an open FileStream with FileShare.None: .NET takes an exclusive flock on Unix and a share-mode
    // lock on Windows, so a second open of the same file fails with IOException (observed on .NET 10; see OrgLock).
    [Fact]
    public void Open_WhileAnotherRunHoldsTheOrg_FailsAtOnceWithAClearMessage_AndWorksAfterRelease()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var holder = EmbeddedOrg.Open(folder, TimeProvider.System);

        var refused = Assert.Throws<ConnectionFailedException>(() => EmbeddedOrg.Open(folder, TimeProvider.System));

        Assert.Contains("in use by another partnerguard process", refused.Message);
        Assert.Contains(folder, refused.Message);
        Assert.Contains(EmbeddedOrg.LockFileName, refused.Message);
        holder.Dispose();
        using var next = EmbeddedOrg.Open(folder, TimeProvider.System);
        Assert.Null(next.Seeded);
    }

    [Fact]
    public async Task Command_WhileTheOrgIsLocked_ExitsWithConnectionFailedAndSaysWhy()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        using var holder = EmbeddedOrg.Open(folder, TimeProvider.System);
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "plan", "--strategy", "balanced" }, EmbeddedContexts.For(temp.Path, output, error));

        Assert.Equal(ExitCodes.ConnectionFailed, code);
        Assert.Contains("is in use by another partnerguard process", error.ToString());
    }

    [Fact]
    public void Open_UnreadableStateFile_NamesTheFileAndHowToStartAgain()
    {
        using var temp = new TempDirectory();
        var folder = EmbeddedOrg.FolderFor(temp.Path);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, EmbeddedOrg.StateFileName), "{\"format\":\"something-else\"}");

        var error = Assert.Throws<ConnectionFailedException>(() => EmbeddedOrg.Open(folder, TimeProvider.System));

        Assert.Contains(Path.Combine(folder, EmbeddedOrg.StateFileName), error.Message);
        Assert.Contains("Delete the folder", error.Message);
    }

    [Fact]
    public async Task Connector_WithNoConnection_UsesTheEmbeddedOrgAndSaysSoOnTheFirstLine()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new StringWriter();
        var context = EmbeddedContexts.For(temp.Path, output, new StringWriter());

        var client = await DataverseConnector.ConnectAsync(context, connection: null, CancellationToken.None);
        var me = await client.WhoAmIAsync(CancellationToken.None);
        await context.Embedded!.CompleteAsync(ExitCodes.Done, context.Error);

        var first = output.ToString().Split('\n')[0];
        Assert.StartsWith("Org: the embedded local org in " + EmbeddedOrg.FolderFor(temp.Path), first);
        Assert.Contains("demo data", first);
        Assert.Contains("not a Dataverse environment", first);
        Assert.NotEqual(Guid.Empty, me.UserId);
    }

    [Fact]
    public async Task Session_WriteThroughTheWebApi_IsSavedWhenTheCommandEnds_ReadsLeaveTheFileAlone()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var state = Path.Combine(folder, EmbeddedOrg.StateFileName);
        var before = File.ReadAllBytes(state);

        // A read-only command: nothing to save, the file keeps its bytes.
        var reader = new EmbeddedOrgSession(folder, TextWriter.Null, TimeProvider.System);
        using (var http = await ClientAsync(reader))
        {
            (await http.GetAsync("WhoAmI")).EnsureSuccessStatusCode();
        }

        await reader.CompleteAsync(ExitCodes.Done, TextWriter.Null);
        Assert.Equal(before, File.ReadAllBytes(state));

        // A writing command: the change is in org.json afterwards.
        var writer = new EmbeddedOrgSession(folder, TextWriter.Null, TimeProvider.System);
        Guid accountId;
        using (var http = await ClientAsync(writer))
        {
            accountId = await FindAccountAsync(http, DemoDataSet.UncoveredCustomerName);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"accounts({accountId:D})") { Content = Json(new JsonObject { ["telephone1"] = "+44 20 7946 0000" }) };
            patch.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
            (await http.SendAsync(patch)).EnsureSuccessStatusCode();
        }

        Assert.Equal(ExitCodes.Done, await writer.CompleteAsync(ExitCodes.Done, TextWriter.Null));
        using var reloaded = EmbeddedOrg.Open(folder, TimeProvider.System);
        Assert.Equal("+44 20 7946 0000", reloaded.Org.GetService().Retrieve("account", accountId, new Microsoft.Xrm.Sdk.Query.ColumnSet("telephone1")).GetAttributeValue<string>("telephone1"));
    }

    // After Ctrl+C, System.CommandLine stops waiting for a command after its termination timeout (two seconds by
    // default; InvocationConfiguration.ProcessTerminationTimeout docs) while the command may still send requests:
    // once the session has saved, a late write must fail rather than change an org that is no longer saved.
    [Fact]
    public async Task Session_AfterTheCommandEnded_RefusesLateWritesAndTheSavedFileKeepsItsBytes()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var state = Path.Combine(folder, EmbeddedOrg.StateFileName);
        var session = new EmbeddedOrgSession(folder, TextWriter.Null, TimeProvider.System);
        using var http = await ClientAsync(session);
        var accountId = await FindAccountAsync(http, DemoDataSet.UncoveredCustomerName);
        await session.CompleteAsync(ExitCodes.Done, TextWriter.Null);
        var saved = File.ReadAllBytes(state);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"accounts({accountId:D})") { Content = Json(new JsonObject { ["telephone1"] = "late" }) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(patch));

        Assert.Contains("embedded local org is closed", refused.Message);
        Assert.Equal(saved, File.ReadAllBytes(state));
        using var next = EmbeddedOrg.Open(folder, TimeProvider.System);
        Assert.Null(next.Org.GetService().Retrieve("account", accountId, new Microsoft.Xrm.Sdk.Query.ColumnSet("telephone1")).GetAttributeValue<string>("telephone1"));
    }

    // DESIGN §1 step 5 in Enforce mode (the demo org's mode): a deal with no partner and no rule is refused with
    // PG-001 and nothing is stored; the Web API reports the plugin's InvalidPluginExecutionException as HTTP 400
    // with the plugin's message (Dataverse Web API error behaviour, webapi-notes).
    [Fact]
    public async Task WebApi_DealWithoutPartnerForAnUncoveredCustomer_IsBlockedInEnforceMode()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var session = new EmbeddedOrgSession(folder, TextWriter.Null, TimeProvider.System);
        var org = session.Open();
        var deals = org.Org.Count("opportunity");
        using var http = await ClientAsync(session);
        var customer = await FindAccountAsync(http, DemoDataSet.UncoveredCustomerName);

        var response = await http.PostAsync("opportunities", Json(Deal(customer)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("(PartnerGuard PG-001)", await response.Content.ReadAsStringAsync());
        Assert.Equal(deals, org.Org.Count("opportunity"));
        session.Dispose();
    }

    // DESIGN §1 rollout mode: in Audit mode the same save is stored and recorded as Unresolved with the reason.
    // A freshly seeded org (its own organization id): the plugin caches settings per organization for two minutes,
    // and the copies of the shared state file all carry the same id and run in Enforce mode.
    [Fact]
    public async Task WebApi_DealWithoutPartnerForAnUncoveredCustomer_IsRecordedUnresolvedInAuditMode()
    {
        var org = EmbeddedOrg.CreateSeeded(SolutionSource.Locate(), null, out _);
        org.SetEnvironmentVariable("pg_EnforcementMode", "Audit");
        using var http = new HttpClient(Emulator.WebApi.DataverseWebApi.CreateHandler(org)) { BaseAddress = Emulator.WebApi.DataverseWebApi.DefaultBaseAddress };
        var customer = await FindAccountAsync(http, DemoDataSet.UncoveredCustomerName);

        var response = await http.PostAsync("opportunities", Json(Deal(customer)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entityId = response.Headers.GetValues("OData-EntityId").Single();
        var stored = JsonNode.Parse(await http.GetStringAsync(entityId[entityId.IndexOf("opportunities(", StringComparison.Ordinal)..] + "?$select=pg_channel,pg_channelreason"))!;
        Assert.Equal(ChannelOptionValues.Unresolved, stored["pg_channel"]!.GetValue<int>());
        Assert.Contains("PG-001", stored["pg_channelreason"]!.GetValue<string>());
    }

    private static JsonObject Deal(Guid customer) => new()
    {
        ["name"] = "Test deal (demo)",
        ["estimatedvalue"] = 40_000m,
        ["customerid_account@odata.bind"] = $"/accounts({customer:D})",
    };

    private static async Task<HttpClient> ClientAsync(EmbeddedOrgSession session)
    {
        var (url, transport) = await session.ConnectAsync(CancellationToken.None);
        return new HttpClient(transport) { BaseAddress = new Uri(url, "api/data/v9.2/") };
    }

    private static async Task<Guid> FindAccountAsync(HttpClient http, string name)
    {
        var json = JsonNode.Parse(await http.GetStringAsync($"accounts?$select=accountid&$filter=name eq '{name}'"))!;
        return json["value"]!.AsArray().Single()!["accountid"]!.GetValue<Guid>();
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
