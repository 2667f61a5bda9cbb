using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// Issue #12 item 10: the console reaches `emulator serve` with the shipped connection form
/// <c>AuthType=Emulator;Url=http://127.0.0.1:PORT;User=NAME</c>, over real HTTP on loopback, with the real credential
/// path (no injected credential or transport): plan and apply end to end, a non-loopback Url and an unknown user refused.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class EmulatorConnectionTests(SeededStateFixture seeded)
{
    /// <summary>A guard against a hang if the server never gets ready; not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PlanAndApply_ThroughTheEmulatorConnection_ChangeTheServedOrg_AsTheNamedUser()
    {
        await using var server = await ServedOrg.StartAsync(seeded);
        using var client = new TempDirectory();
        // The administrator by full name: the name is resolved by the server, and the user may write.
        var connection = $"AuthType=Emulator;Url={server.Url};User=system administrator";

        var (planned, planOut, planError) = await RunConsoleAsync(client.Path, "plan", "--strategy", "balanced", "--max-accounts", "40", "--run-id", "e2e", "--out", "plan.csv", "--connection", connection);
        var (applied, applyOut, applyError) = await RunConsoleAsync(client.Path, "apply", "--plan", "plan.csv", "--yes", "--output", "rep", "--connection", connection);
        var folder = await server.StopAsync();

        Assert.True(planned == ExitCodes.Done, planOut + planError);
        Assert.True(applied == ExitCodes.Done, applyOut + applyError);
        using var org = EmbeddedOrg.Open(folder, TimeProvider.System);
        Assert.Contains($"as user {org.Org.AdministratorId:D}", applyOut, StringComparison.Ordinal);
        Assert.Contains("40 applied", applyOut, StringComparison.Ordinal);
        var stamped = org.Org.GetService().RetrieveMultiple(new QueryExpression("account")
        {
            ColumnSet = new ColumnSet("pg_assignedpartnerid"),
            Criteria = { Conditions = { new ConditionExpression("pg_assignmentrun", ConditionOperator.Equal, "e2e") } },
        }).Entities;
        Assert.Equal(40, stamped.Count);
        Assert.All(stamped, account => Assert.True(account.Contains("pg_assignedpartnerid")));
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(client.Path)) && File.Exists(Path.Combine(EmbeddedOrg.FolderFor(client.Path), EmbeddedOrg.StateFileName)),
            "the client must not have used an embedded org of its own");
    }

    [Fact]
    public async Task UnknownUser_IsRefusedWithExit1NamingIt_AndNothingIsWritten()
    {
        await using var server = await ServedOrg.StartAsync(seeded);
        using var client = new TempDirectory();

        var (code, output, error) = await RunConsoleAsync(client.Path, "distribute", "--strategy", "balanced", "--wave-size", "10", "--yes", "--run-id", "nobody",
            "--connection", $"AuthType=Emulator;Url={server.Url};User=Nobody Known");
        await server.StopAsync();

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("'Nobody Known'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(client.Path));
    }

    /// <summary>
    /// Issue #17: the shipped connection form selects a demo user by domain name, and the served org enforces that
    /// user's roles: the reassignment job user (Reassignment Job role only) plans and applies a wave.
    /// </summary>
    [Fact]
    public async Task PlanAndApply_AsTheDemoJobUser_SucceedWithItsRoleAlone()
    {
        await using var server = await ServedOrg.StartAsync(seeded);
        using var client = new TempDirectory();
        var connection = $"AuthType=Emulator;Url={server.Url};User={DemoUsers.ReassignmentJob.DomainName}";

        var (planned, planOut, planError) = await RunConsoleAsync(client.Path, "plan", "--strategy", "balanced", "--max-accounts", "20", "--run-id", "job", "--out", "plan.csv", "--connection", connection);
        var (applied, applyOut, applyError) = await RunConsoleAsync(client.Path, "apply", "--plan", "plan.csv", "--yes", "--output", "rep", "--connection", connection);
        await server.StopAsync();

        Assert.True(planned == ExitCodes.Done, planOut + planError);
        Assert.True(applied == ExitCodes.Done, applyOut + applyError);
        Assert.Contains($"as user {DemoUsers.ReassignmentJob.Id:D}", applyOut, StringComparison.Ordinal);
        Assert.Contains("20 applied", applyOut, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue #17 "done means": `emulator serve` answers a user without the privilege with Dataverse's error shape — HTTP 403,
    /// error code 0x80040220 and "Principal user (Id=…, type=8, …), is missing prv… privilege (Id=…) on OTC=… for entity '…'"
    /// (the shape and its sources are in Emulator/README.md, "Security"). The demo seller may read reassignment runs but not
    /// create one. (A rule is a poorer probe: its validation plug-in runs at PreValidation, which Dataverse runs before the
    /// security checks, so an incomplete rule is answered 400 first.)
    /// </summary>
    [Fact]
    public async Task Served_SellerCreatingARun_Gets403WithDataversesPrivilegeError()
    {
        await using var server = await ServedOrg.StartAsync(seeded);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url, "/api/data/v9.2/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DemoUsers.Seller.DomainName);

        using var read = await http.GetAsync("pg_reassignmentruns?$select=pg_name&$top=1");
        using var create = await http.PostAsync("pg_reassignmentruns", new StringContent("""{"pg_name":"Seller's own wave"}""", System.Text.Encoding.UTF8, "application/json"));
        var body = System.Text.Json.JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        await server.StopAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal("0x80040220", body.GetProperty("code").GetString());
        Assert.Matches(
            $@"^Principal user \(Id={DemoUsers.Seller.Id:D}, type=8, roleCount=\d+, privilegeCount=\d+, .*\), is missing prvCreatepg_ReassignmentRun privilege \(Id=[0-9a-f-]{{36}}\) on OTC=\d+ for entity 'pg_reassignmentrun'",
            body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("AuthType=Emulator;Url=http://192.0.2.10:5555;User=x")]
    [InlineData("AuthType=Emulator;Url=https://contoso.crm.dynamics.com")]
    public async Task NonLoopbackUrl_IsRefusedBeforeConnecting(string connection)
    {
        using var client = new TempDirectory();

        var (code, _, error) = await RunConsoleAsync(client.Path, "audit", "--connection", connection);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("loopback", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(client.Path));
    }

    // The bad-day options reach the server: every request fails with --failure-rate 1; the third request of a user is
    // refused with --request-limit 2 (a 5-minute window: no timing involved).
    [Theory]
    [InlineData(new[] { "--failure-rate", "1" }, 503, 503, "100 % of requests answered 503")]
    [InlineData(new[] { "--request-limit", "2" }, 200, 429, "2 requests and 1200 s of execution time per user per 300 s window")]
    [InlineData(new[] { "--latency-ms", "1", "--timeout-rate", "0", "--compress-service-protection", "60", "--request-limit", "100" }, 200, 200, "1 ms latency per request (fault seed 0); service protection: 100 requests and 20 s of execution time per user per 5 s window")]
    public async Task Serve_BadDayOptions_ShapeTheAnswers(string[] options, int first, int third, string described)
    {
        await using var server = await ServedOrg.StartAsync(seeded, options);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url, "api/data/v9.2/") };

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync("WhoAmI");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal(first, statuses[0]);
        Assert.Equal(third, statuses[2]);
        Assert.Contains(described, server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--failure-rate", "1.5", "--failure-rate must be a share from 0 to 1")]
    [InlineData("--failure-rate", "lots", "Cannot parse argument 'lots' for option '--failure-rate'")]
    [InlineData("--timeout-rate", "-0.1", "--timeout-rate must be a share from 0 to 1")]
    [InlineData("--latency-ms", "ten", "--latency-ms must be a whole number from 0 to 600000")]
    [InlineData("--latency-ms", "-1", "--latency-ms must be a whole number from 0 to 600000")]
    [InlineData("--timeout-ms", "0", "--timeout-ms must be a whole number from 1 to 600000")]
    [InlineData("--compress-service-protection", "0.5", "--compress-service-protection must be a number from 1 to 3600")]
    [InlineData("--compress-service-protection", "NaN", "--compress-service-protection must be a number from 1 to 3600")]
    [InlineData("--request-limit", "0", "--request-limit must be a whole number from 1 to 1000000")]
    [InlineData("--fault-seed", "2147483648", "--fault-seed must be a whole number")]
    public async Task Serve_BadOptionValue_IsExit1NamingTheOption_AndCreatesNoOrg(string option, string value, string expected)
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(["emulator", "serve", "--urls", "http://127.0.0.1:0", option, value], EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.True(error.ToString().Contains(expected, StringComparison.Ordinal), error.ToString());
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(temp.Path)));
    }

    [Theory]
    [InlineData(new[] { "--failure-rate", "0.6", "--timeout-rate", "0.5" }, "add up to more than 1")]
    [InlineData(new[] { "--no-service-protection", "--request-limit", "5" }, "cannot be combined")]
    public async Task Serve_ContradictoryOptions_AreExit1(string[] options, string expected)
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(["emulator", "serve", "--urls", "http://127.0.0.1:0", .. options], EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.True(error.ToString().Contains(expected, StringComparison.Ordinal), error.ToString());
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(temp.Path)));
    }

    /// <summary>The console as a user runs it against a server: no embedded org, the real credential factory and HTTP.</summary>
    private static async Task<(int Code, string Out, string Error)> RunConsoleAsync(string folder, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var scrubber = new SecretScrubber();
        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(output, scrubber),
            Error = new ScrubbingWriter(error, scrubber),
            Environment = _ => null,
            WorkingDirectory = folder,
        };
        var code = await PartnerGuardCli.InvokeAsync(args, context).WaitAsync(HangGuard);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>`emulator serve` on a free loopback port over a copy of the seeded org, stopped (and saved) on demand.</summary>
    private sealed class ServedOrg(TempDirectory folder, string orgFolder, CancellationTokenSource stop, Task<int> serving, Uri url, SignallingWriter output) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        /// <summary>What the server printed so far.</summary>
        public string Output => output.ToString();

        public static async Task<ServedOrg> StartAsync(SeededStateFixture seeded, params string[] options)
        {
            var folder = new TempDirectory();
            var orgFolder = seeded.CopyInto(folder.Path);
            var output = new SignallingWriter(EmulatorServeCommand.ReadyLine);
            var error = new StringWriter();
            var stop = new CancellationTokenSource();
            string[] args = ["emulator", "serve", "--urls", "http://127.0.0.1:0", .. options];
            var serving = PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(folder.Path, output, error), stop.Token);
            await Task.WhenAny(output.Seen, serving).WaitAsync(HangGuard);
            Assert.True(output.Seen.IsCompleted, $"not ready: {output}{error}");
            var baseAddress = new Uri(output.ToString().Split('\n').Single(l => l.StartsWith("Serving the Dataverse Web API at ", StringComparison.Ordinal)).Split(' ')[6]);
            return new ServedOrg(folder, orgFolder, stop, serving, new Uri(baseAddress.GetLeftPart(UriPartial.Authority)), output);
        }

        /// <summary>Stops the server (it saves the org) and returns the org's folder.</summary>
        public async Task<string> StopAsync()
        {
            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Done, await serving.WaitAsync(HangGuard));
            return orgFolder;
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await serving.WaitAsync(HangGuard);
            stop.Dispose();
            folder.Dispose();
        }
    }
}
