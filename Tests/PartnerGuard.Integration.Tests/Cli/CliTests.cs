using System.CommandLine;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Identity;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Tests.Support;

namespace PartnerGuard.Integration.Tests.Cli;

/// <summary>CLI guards: --help everywhere, kebab-case options, and the exit codes of DESIGN §6.</summary>
public class CliTests
{
    private static readonly Guid PartnerA = Guid.Parse("90000000-0000-0000-0000-00000000000a");
    private static readonly Guid PartnerB = Guid.Parse("90000000-0000-0000-0000-00000000000b");
    private static readonly Guid TeamA = Guid.Parse("70000000-0000-0000-0000-00000000000a");
    private static readonly Guid Seller = Guid.Parse("50000000-0000-0000-0000-000000000001");

    public static TheoryData<string> Commands() => ["plan", "apply", "distribute", "undo"];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_ExitsZeroAndDescribesItsOptions(string command)
    {
        using var cli = new CliHarness();

        var code = await cli.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains($" {command} [options]", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--connection", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreKebabCaseEverywhere()
    {
        using var cli = new CliHarness();
        var root = PartnerGuardCli.Build(new CliContext { Scrubber = new SecretScrubber(), Out = TextWriter.Null, Error = TextWriter.Null });

        var names = root.Subcommands.SelectMany(c => c.Options.Select(o => (Command: c.Name, Option: o.Name))).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Matches(new Regex("^--[a-z0-9]+(-[a-z0-9]+)*$"), n.Option));
        Assert.All(root.Subcommands, c => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), c.Name));
    }

    public static TheoryData<string[], string> BadInput() => new()
    {
        { ["plan"], "--strategy" },
        { ["plan", "--strategy", "random"], "random" },
        { ["plan", "--strategy", "balanced", "--max-accounts", "0"], "--max-accounts must be a whole number of at least 1" },
        { ["plan", "--strategy", "balanced", "--shard", "3/2"], "--shard must look like I/N" },
        { ["plan", "--strategy", "mapping"], "--mapping FILE" },
        { ["plan", "--strategy", "mapping", "--mapping", "missing.csv"], "missing.csv' does not exist" },
        { ["plan", "--strategy", "balanced", "--run-id", "bad id"], "the run id 'bad id'" },
        { ["plan", "--strategy", "balanced", "--run-id", ".."], "the run id '..'" },
        { ["plan", "--strategy", "balanced", "--connection", "AuthType=ClientSecret;Url=https://x.crm.dynamics.com"], "needs 'ClientId'" },
        { ["plan", "--strategy", "balanced", "--connection", "AuthType=ClientSecret;Url=https://x.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=" + CliHarness.Secret + ";Tenant Id=x;Bogus=1"], "unknown key after 'ClientSecret'" },
        { ["plan", "--strategy", "balanced", "--connection", "AuthType=ClientSecret;Bogus=1;Url=https://x.crm.dynamics.com"], "Unknown key 'Bogus'" },
        { ["apply"], "--plan" },
        { ["apply", "--plan", "plan.csv", "--batch-size", "5000"], "--batch-size must be a whole number from 1 to 1000" },
        { ["apply", "--plan", "plan.csv", "--write-path", "fast"], "fast" },
        { ["undo", "--run", "never-ran"], "No journal" },
        { ["distribute", "--strategy", "balanced"], "--wave-size" },
        { ["audit-everything"], "audit-everything" },
        // Issue #12 defect 6: a value that is not a whole number of the option's type is bad input, never a crash.
        { ["distribute", "--strategy", "balanced", "--wave-size", "ten"], "--wave-size must be a whole number of at least 1; got 'ten'" },
        { ["distribute", "--strategy", "balanced", "--wave-size", "1.5"], "--wave-size must be a whole number of at least 1; got '1.5'" },
        { ["distribute", "--strategy", "balanced", "--wave-size", "2147483648"], "got '2147483648'" },
        { ["apply", "--plan", "plan.csv", "--batch-size", "x"], "--batch-size must be a whole number from 1 to 1000; got 'x'" },
        // Issue #12 defect 4: a connection given but empty (what CI passes for a missing secret) is not the demo org.
        { ["plan", "--strategy", "balanced", "--connection", ""], "--connection is set but empty" },
        { ["plan", "--strategy", "balanced", "--connection", "   "], "--connection is set but empty" },
    };

    // Issue #12 defect 8: an unquoted secret holding ';' and '=' splits into an "unknown key", and a Url may carry a
    // password; neither may reach any output.
    [Theory]
    [InlineData("AuthType=ClientSecret;Url=https://x.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=abc;XYZSECRET7f3a9=tail;TenantId=x", "put it in quotes")]
    [InlineData("AuthType=ClientSecret;Url=https://admin:XYZSECRET7f3a9@x.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=s;TenantId=x", "must not contain a user name or password")]
    [InlineData("AuthType=ClientSecret;Url=ftp://admin:XYZSECRET7f3a9@x.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=s;TenantId=x", "ftp://***@x.crm.dynamics.com")]
    public async Task SecretsInOddPlaces_AreNeverEchoed(string connection, string expected)
    {
        using var cli = new CliHarness();

        var code = await cli.RunAsync("plan", "--strategy", "balanced", "--connection", connection);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, cli.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("XYZSECRET7f3a9", cli.AllOutput, StringComparison.Ordinal);
        Assert.Empty(cli.Org.Writes);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public async Task EmptyConnectionVariable_ExitsOne_InsteadOfUsingTheDemoOrg(string value)
    {
        using var cli = new CliHarness();
        cli.Environment["PARTNERGUARD_CONNECTION"] = value;

        var code = await cli.RunAsync("plan", "--strategy", "balanced");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("PARTNERGUARD_CONNECTION is set but empty", cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(cli.Files());
        Assert.Empty(cli.Org.Writes);
    }

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInput_ExitsOne_NamesTheProblem_AndWritesNothing(string[] args, string expected)
    {
        using var cli = new CliHarness();

        var code = await cli.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, cli.AllOutput, StringComparison.Ordinal);
        Assert.Empty(cli.Files());
        Assert.Empty(cli.Org.Writes);
    }

    // Issue #12 item 6: every path is checked before the first write. In each case's folder, "dir.csv" is a folder and
    // "file.txt" a file; /sys refuses new entries even to root. The message names the option and the path as given.
    public static TheoryData<string[], string> BadPath() => new()
    {
        // A folder given as a file.
        { ["apply", "--plan", "dir.csv", "--yes"], "--plan 'dir.csv' is a folder; give a file." },
        { ["plan", "--strategy", "mapping", "--mapping", "dir.csv"], "--mapping 'dir.csv' is a folder; give a file." },
        { ["plan", "--strategy", "balanced", "--fetch-xml", "dir.csv"], "--fetch-xml 'dir.csv' is a folder; give a file." },
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--fetch-xml", "dir.csv"], "--fetch-xml 'dir.csv' is a folder; give a file." },
        { ["plan", "--strategy", "balanced", "--out", "dir.csv"], "--out 'dir.csv' is a folder; name the file to write." },
        { ["rules", "validate", "dir.csv"], "The rules file 'dir.csv' is a folder; give a file." },
        { ["rules", "import", "dir.csv", "--yes"], "The rules file 'dir.csv' is a folder; give a file." },
        { ["simulate", "--rules", "dir.csv"], "The rules file 'dir.csv' is a folder; give a file." },
        { ["rules", "export", "dir.csv"], "The export file 'dir.csv' is a folder; name the file to write." },
        // A file given as a folder, or a file in the way of one.
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--output", "file.txt"], "--output 'file.txt' cannot be created: '" },
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--journal-dir", "file.txt"], "--journal-dir 'file.txt' cannot be created: '" },
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--output", "file.txt/reports"], "--output 'file.txt/reports' cannot be created: '" },
        { ["undo", "--run", "r1", "--yes", "--journal-dir", "file.txt"], "--journal-dir 'file.txt' cannot be created: '" },
        { ["plan", "--strategy", "balanced", "--out", "file.txt/plan.csv"], "--out 'file.txt/plan.csv' cannot be created: '" },
        { ["rules", "export", "file.txt/rules.json"], "The export file 'file.txt/rules.json' cannot be created: '" },
        { ["audit", "--output", "file.txt"], "--output 'file.txt' cannot be created: '" },
        { ["statement", "--all", "--output", "file.txt"], "--output 'file.txt' cannot be created: '" },
        { ["statement", "--all", "--journal-dir", "file.txt"], "--journal-dir 'file.txt' is a file" },
        { ["rules", "publish", "--output", "file.txt/x"], "--output 'file.txt/x' cannot be created: '" },
        // A folder that does not accept new files.
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--output", "/sys/partnerguard-reports"], "--output '/sys/partnerguard-reports' cannot be written: the folder '/sys' does not accept new files" },
        { ["distribute", "--strategy", "balanced", "--wave-size", "5", "--yes", "--journal-dir", "/sys/runs"], "--journal-dir '/sys/runs' cannot be written" },
        { ["plan", "--strategy", "balanced", "--out", "/sys/plan.csv"], "--out '/sys/plan.csv' cannot be written" },
        { ["audit", "--output", "/sys/audit"], "--output '/sys/audit' cannot be written" },
        { ["undo", "--run", "r1", "--yes", "--journal-dir", "/sys/runs"], "--journal-dir '/sys/runs' cannot be written" },
    };

    [Theory]
    [MemberData(nameof(BadPath))]
    public async Task BadPath_ExitsOne_NamesTheOptionAndPath_BeforeAnyWrite(string[] args, string expected)
    {
        using var cli = new CliHarness();
        Directory.CreateDirectory(cli.Folder.File("dir.csv"));
        File.WriteAllText(cli.Folder.File("file.txt"), "not a folder");

        // With a working connection, so only the path can be at fault (rules validate takes none).
        var code = await cli.RunAsync(args[..2] is ["rules", "validate"] ? args : [.. args, "--connection", CliHarness.Connection]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, cli.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.AllOutput, StringComparison.Ordinal);
        Assert.Equal([cli.Folder.File("file.txt")], cli.Files().Select(f => f.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(cli.Folder.File("dir.csv")));
        Assert.Empty(cli.Org.Requests);
    }

    [Fact]
    public async Task MalformedPlan_ExitsOne_WithLineAndField_BeforeConnecting()
    {
        using var cli = new CliHarness();
        File.WriteAllText(cli.Folder.File("plan.csv"), "# run_id: w1\r\n# created_on: 2026-11-27T08:00:00Z\r\n# strategy: balanced\r\n"
            + "account_id,account_name,account_number,country,current_owner_id,current_owner_table,previous_partner_id,new_partner_id,new_partner_name,reason\r\n"
            + "10000000-0000-0000-0000-000000000001,Contoso,,,,,,not-a-guid,Fabrikam,because\r\n");

        var code = await cli.RunAsync("apply", "--plan", "plan.csv", "--connection", CliHarness.Connection, "--yes");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("plan.csv line 5, field 'new_partner_id': 'not-a-guid' is not a record id", cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(cli.Org.Requests);
        Assert.Single(cli.Files());
    }

    [Fact]
    public async Task NoConnection_ExitsOne_AndSaysHowToConnect()
    {
        using var cli = new CliHarness();

        var code = await cli.RunAsync("plan", "--strategy", "balanced");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("PARTNERGUARD_CONNECTION", cli.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionFromTheEnvironment_IsUsed()
    {
        using var cli = new CliHarness();
        cli.Environment["PARTNERGUARD_CONNECTION"] = CliHarness.Connection;
        Seed(cli.Org);

        var code = await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("Connected to https://contoso.crm.dynamics.com", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTenant_IsDiscoveredFromTheBearerChallenge()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        string? tenantUsed = null;
        cli.Credential = settings =>
        {
            tenantUsed = settings.TenantId;
            return new CliHarness.StaticCredential();
        };

        var code = await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection",
            "AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=" + CliHarness.Secret);

        Assert.Equal(ExitCodes.Done, code);
        Assert.Equal(FakeOrg.Tenant, tenantUsed);
    }

    [Fact]
    public async Task RefusedCredentials_ExitThree()
    {
        using var cli = new CliHarness();
        cli.Org.FailEverythingWith = System.Net.HttpStatusCode.Unauthorized;

        var code = await cli.RunAsync("plan", "--strategy", "balanced", "--connection", CliHarness.Connection);

        Assert.Equal(ExitCodes.ConnectionFailed, code);
        Assert.Contains("refused the credentials", cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(cli.Files());
    }

    /// <summary>
    /// The secret must not reach output, logs, exceptions or reports: feed it in the connection string, make a
    /// sign-in library and the server echo it back in their error texts, and scan everything the console
    /// printed and every file it wrote.
    /// </summary>
    [Fact]
    public async Task Secret_NeverReachesOutputOrFiles()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        cli.Org.ErrorEcho = "server says: " + CliHarness.Secret;
        cli.Org.Refuse.Add(Guid.Parse("10000000-0000-0000-0000-000000000002"));
        var codes = new List<int>
        {
            await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection),
            await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes"),
            await cli.RunAsync("plan", "--strategy", "balanced", "--connection", CliHarness.Connection + ";Colour=" + CliHarness.Secret),
            await cli.RunAsync("plan", "--strategy", "balanced", "--connection", CliHarness.Connection.Replace(CliHarness.Secret, CliHarness.Secret + ";tail", StringComparison.Ordinal)),
        };
        cli.Credential = _ => new ThrowingCredential($"AADSTS7000215: Invalid client secret provided: '{CliHarness.Secret}'.");
        codes.Add(await cli.RunAsync("plan", "--strategy", "balanced", "--connection", CliHarness.Connection));
        cli.Org.FailEverythingWith = System.Net.HttpStatusCode.Forbidden;
        cli.Credential = _ => new CliHarness.StaticCredential();
        codes.Add(await cli.RunAsync("undo", "--run", "w1", "--connection", CliHarness.Connection, "--yes"));

        Assert.Equal([ExitCodes.Done, ExitCodes.RecordFailures, ExitCodes.BadInput, ExitCodes.BadInput, ExitCodes.ConnectionFailed, ExitCodes.ConnectionFailed], codes);
        Assert.Contains("server says: ***", cli.AllOutput, StringComparison.Ordinal); // the echo happened and was masked
        Assert.DoesNotContain(CliHarness.Secret, cli.AllOutput, StringComparison.Ordinal);
        Assert.NotEmpty(cli.Files());
        Assert.All(cli.Files(), f => Assert.DoesNotContain(CliHarness.Secret, f.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanApplyReapplyUndo_EndToEndOverTheWebApi()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);

        var plan = await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);
        var planned = File.ReadAllText(cli.Folder.File("w1.csv"));
        var apply = await cli.RunAsync("apply", "--plan", "w1.json", "--connection", CliHarness.Connection, "--yes", "--assign-owner", "--output", "reports");
        var writesAfterApply = cli.Org.Writes.Values.Sum();
        var summaryAfterApply = cli.Org.Runs[Integration.Dataverse.RunRecorder.RowId("w1")].ToJsonString();
        var again = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--assign-owner", "--output", "reports");
        var undo = await cli.RunAsync("undo", "--run", "w1", "--connection", CliHarness.Connection, "--yes", "--output", "reports");

        Assert.Equal([0, 0, 0, 0], new[] { plan, apply, again, undo });
        // Customers 1–4 eligible (5 has a partner, 6 is inactive); capacity 1 vs 3 splits them 1:3.
        Assert.Equal(4, planned.Split("\r\n").Count(l => l.StartsWith("10000000-", StringComparison.Ordinal)));
        Assert.Equal(4, writesAfterApply);
        Assert.Equal(4, cli.Org.Writes.Values.Sum() - writesAfterApply); // re-apply wrote nothing; undo wrote each once
        foreach (var id in Enumerable.Range(1, 4).Select(CustomerId))
        {
            var account = cli.Org.Accounts[id];
            Assert.Null(account.Partner);
            Assert.Null(account.Run);
            Assert.Null(account.AssignedOn);
            Assert.Equal(Seller, account.Owner);
            Assert.Equal("systemuser", account.OwnerTable);
        }

        Assert.Contains("UpdateMultiple", cli.StandardOutput, StringComparison.Ordinal);
        // Without a terminal (as here) progress is plain lines, never a drawn bar with escape sequences.
        Assert.DoesNotContain("\u001b[", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"pg_name\":\"w1\",\"pg_status\":723100002,\"pg_strategy\":\"balanced\"", summaryAfterApply, StringComparison.Ordinal);
        Assert.Contains("\"pg_planned\":4,\"pg_startedon\":\"2026-11-27T08:00:00Z\",\"pg_applied\":4,\"pg_failed\":0", summaryAfterApply, StringComparison.Ordinal);
        Assert.Equal(723100006, (int)cli.Org.Runs[Integration.Dataverse.RunRecorder.RowId("w1")]["pg_status"]!);
        Assert.Equal(4, (int)cli.Org.Runs[Integration.Dataverse.RunRecorder.RowId("w1")]["pg_undone"]!);
        Assert.True(File.Exists(cli.Folder.File("reports/w1.apply.results.csv")));
        Assert.True(File.Exists(cli.Folder.File(".partnerguard/runs/w1.apply.journal")));
    }

    [Fact]
    public async Task Apply_PerRecordFailure_FallsBackToBatch_AndExitsTwo()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        var refused = CustomerId(3);
        cli.Org.Refuse.Add(refused);

        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);
        var code = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--output", "reports");

        Assert.Equal(ExitCodes.RecordFailures, code);
        Assert.Contains(cli.Org.Requests, r => r.StartsWith("POST $batch", StringComparison.Ordinal));
        Assert.Equal(3, cli.Org.Writes.Count);
        Assert.False(cli.Org.Writes.ContainsKey(refused));
        var report = File.ReadAllText(cli.Folder.File("reports/w1.apply.results.csv"));
        Assert.Contains($"{refused:D},failed,0x80040265,A plug-in refused account {refused:D}.", report, StringComparison.Ordinal);
        Assert.Contains($"failed {refused:D}", cli.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distribute_PlansAndAppliesOneCappedWave()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        cli.Org.SupportsUpdateMultiple = false;

        var code = await cli.RunAsync("distribute", "--strategy", "territory", "--wave-size", "2", "--run-id", "nightly-1", "--connection", CliHarness.Connection, "--yes");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Equal(2, cli.Org.Writes.Count);
        Assert.True(File.Exists(cli.Folder.File(".partnerguard/runs/nightly-1.plan.csv")));
        Assert.Contains("Write path: $batch", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATerminal_ApplyDistributeUndo_RefuseToWriteWithoutYes()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);

        var apply = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--output", "reports");
        var distribute = await cli.RunAsync("distribute", "--strategy", "balanced", "--wave-size", "2", "--run-id", "d1", "--connection", CliHarness.Connection, "--output", "reports");
        Assert.Equal(ExitCodes.Done, await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--output", "reports"));
        var writesAfterApply = cli.Org.Writes.Values.Sum();
        var undo = await cli.RunAsync("undo", "--run", "w1", "--connection", CliHarness.Connection, "--output", "reports");

        Assert.Equal([ExitCodes.BadInput, ExitCodes.BadInput, ExitCodes.BadInput], new[] { apply, distribute, undo });
        Assert.Contains("Apply 4 changes to https://contoso.crm.dynamics.com: no one is at a terminal to confirm, so nothing was written. Pass --yes", cli.StandardError, StringComparison.Ordinal);
        Assert.Contains("Apply 2 changes to https://contoso.crm.dynamics.com", cli.StandardError, StringComparison.Ordinal);
        Assert.Contains("Undo 4 changes to https://contoso.crm.dynamics.com", cli.StandardError, StringComparison.Ordinal);
        Assert.Equal(4, writesAfterApply); // only the run with --yes wrote
        Assert.Equal(4, cli.Org.Writes.Values.Sum());
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/d1.plan.csv")));
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/d1.apply.journal")));
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/w1.undo.journal")));
    }

    [Theory]
    [InlineData("y\n", true)]
    [InlineData("yes\n", true)]
    [InlineData("n\n", false)]
    [InlineData("\n", false)]
    [InlineData("", false)]
    public async Task AtATerminal_Apply_AsksFirst_AndWritesOnlyOnYes(string answer, bool writes)
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);
        cli.Interactive = true;
        cli.Input = answer;

        var code = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--output", "reports");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("Apply 4 changes to https://contoso.crm.dynamics.com? [y/N]", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"1 accounts -> partner {PartnerA:D}", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"3 accounts -> partner {PartnerB:D}", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(writes ? 4 : 0, cli.Org.Writes.Values.Sum());
        Assert.Equal(writes, File.Exists(cli.Folder.File(".partnerguard/runs/w1.apply.journal")));
        Assert.Equal(writes, cli.Org.Runs.Count > 0);
        if (!writes)
        {
            Assert.Contains("Not confirmed: nothing was written.", cli.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DryRun_ApplyDistributeUndo_WriteNothing_AndReportWhatWouldChange()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);

        var apply = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--dry-run", "--output", "reports");
        var distribute = await cli.RunAsync("distribute", "--strategy", "balanced", "--wave-size", "3", "--run-id", "d1", "--connection", CliHarness.Connection, "--dry-run", "--output", "reports");
        var writesBeforeUndo = cli.Org.Writes.Values.Sum();
        var runsBeforeUndo = cli.Org.Runs.Count;
        await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--output", "reports");
        var undo = await cli.RunAsync("undo", "--run", "w1", "--connection", CliHarness.Connection, "--dry-run", "--output", "reports");

        Assert.Equal([0, 0, 0], new[] { apply, distribute, undo });
        Assert.Equal(0, writesBeforeUndo);
        Assert.Equal(0, runsBeforeUndo);
        Assert.Equal(4, cli.Org.Writes.Values.Sum()); // the real apply only; the dry undo wrote nothing
        Assert.All(Enumerable.Range(1, 4).Select(CustomerId), id => Assert.NotNull(cli.Org.Accounts[id].Partner));
        Assert.Contains("Dry run of 'w1' (apply): would write 4 changes to https://contoso.crm.dynamics.com; 0 would be skipped, 0 are already done (of 4 accounts, read just now).", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Dry run of 'd1' (apply): would write 3 changes", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Dry run of 'w1' (undo): would write 4 changes", cli.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/d1.plan.csv")));
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/d1.apply.journal")));
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/w1.undo.journal")));
        var preview = File.ReadAllLines(cli.Folder.File("reports/w1.apply.dry-run.csv"));
        Assert.Equal("account_id,expected_partner_id,new_partner_id,current_partner_id,decision,reason", preview[0]);
        Assert.Equal(4, preview.Length - 1);
        Assert.All(preview.Skip(1), l => Assert.EndsWith(",would-apply,", l, StringComparison.Ordinal));
        // Undo puts each account back to no partner: the new_partner_id column (the third) is empty.
        Assert.Equal(4, File.ReadAllLines(cli.Folder.File("reports/w1.undo.dry-run.csv")).Skip(1).Count(l => l.Split(',')[2].Length == 0 && l.EndsWith(",would-apply,", StringComparison.Ordinal)));
        Assert.Equal(3, File.ReadAllLines(cli.Folder.File("reports/d1.apply.dry-run.csv")).Length - 1);
    }

    [Fact]
    public async Task DryRun_Apply_ReadsTheAccounts_AndPredictsSkipsAndAccountsAlreadyDone()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);
        var planned = Integration.Domain.Plans.PlanFiles.Read(cli.Folder.File("w1.csv")).Rows.ToDictionary(r => r.AccountId, r => r.NewPartnerId);
        var changed = CustomerId(1);
        var done = CustomerId(2);
        cli.Org.Accounts[changed].Partner = PartnerA == planned[changed] ? PartnerB : PartnerA; // someone assigned it since the plan
        cli.Org.Accounts[done].Partner = planned[done]; // this run already did it (an earlier, interrupted attempt)
        cli.Org.Accounts[done].Run = "w1";
        var requestsBefore = cli.Org.Requests.Count;

        var code = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--dry-run", "--output", "reports");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Contains("Dry run of 'w1' (apply): would write 2 changes to https://contoso.crm.dynamics.com; 1 would be skipped, 1 are already done (of 4 accounts, read just now).", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"1 would be skipped: it was assigned to partner {cli.Org.Accounts[changed].Partner:D} since the plan", cli.StandardOutput, StringComparison.Ordinal);
        var rows = File.ReadAllLines(cli.Folder.File("reports/w1.apply.dry-run.csv")).Skip(1).ToDictionary(l => Guid.Parse(l[..36]), l => l);
        Assert.Equal(4, rows.Count);
        Assert.Contains($",{cli.Org.Accounts[changed].Partner:D},would-skip,it was assigned to partner", rows[changed], StringComparison.Ordinal);
        Assert.EndsWith(",already-done,", rows[done], StringComparison.Ordinal);
        Assert.Equal(2, rows.Values.Count(r => r.EndsWith(",would-apply,", StringComparison.Ordinal)));
        // Read-only: no write and no journal; the reads are GETs of accounts.
        Assert.Empty(cli.Org.Writes);
        Assert.Empty(cli.Org.Runs);
        Assert.All(cli.Org.Requests.Skip(requestsBefore), r => Assert.StartsWith("GET ", r, StringComparison.Ordinal));
        Assert.False(File.Exists(cli.Folder.File(".partnerguard/runs/w1.apply.journal")));
    }

    [Fact]
    public async Task AtATerminal_Apply_DrawsAProgressBar_AndStillAppliesAndReports()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);
        var screen = new StringWriter();
        cli.Terminal = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.Yes,
            ColorSystem = Spectre.Console.ColorSystemSupport.Standard,
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Out = new Spectre.Console.AnsiConsoleOutput(screen),
        });

        var code = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--output", "reports");

        Assert.Equal(ExitCodes.Done, code);
        Assert.Equal(4, cli.Org.Writes.Values.Sum());
        var drawn = screen.ToString();
        Assert.Contains("\u001b[", drawn, StringComparison.Ordinal); // drawn with escape sequences, as at a terminal
        Assert.Contains("apply w1", drawn, StringComparison.Ordinal);
        Assert.Contains("100%", drawn, StringComparison.Ordinal); // the bar's last frame: every account processed
        Assert.DoesNotContain("accounts processed", cli.StandardOutput, StringComparison.Ordinal); // no plain progress lines
        Assert.Contains("4 applied, 0 failed, 0 skipped, 0 not finished.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(4, File.ReadAllLines(cli.Folder.File("reports/w1.apply.results.csv")).Count(l => l.Contains(",applied,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Apply_WritesAnHtmlSummary_WithTheSameCountsAsTheJsonAndCsvResults()
    {
        using var cli = new CliHarness();
        Seed(cli.Org);
        var refused = CustomerId(3);
        cli.Org.Refuse.Add(refused);
        await cli.RunAsync("plan", "--strategy", "balanced", "--run-id", "w1", "--connection", CliHarness.Connection);

        var code = await cli.RunAsync("apply", "--plan", "w1.csv", "--connection", CliHarness.Connection, "--yes", "--output", "reports");

        Assert.Equal(ExitCodes.RecordFailures, code);
        var csv = File.ReadAllLines(cli.Folder.File("reports/w1.apply.results.csv")).Skip(1).ToList();
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(cli.Folder.File("reports/w1.apply.results.json")));
        var html = File.ReadAllText(cli.Folder.File("reports/w1.apply.summary.html"));
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("applied").GetInt32());
        Assert.Equal(1, root.GetProperty("failed").GetInt32());
        Assert.Equal(csv.Count(l => l.Contains(",applied,", StringComparison.Ordinal)), root.GetProperty("applied").GetInt32());
        Assert.Equal(csv.Count(l => l.Contains(",failed,", StringComparison.Ordinal)), root.GetProperty("failed").GetInt32());
        Assert.Equal(csv.Count(l => l.Contains(",skipped,", StringComparison.Ordinal)), root.GetProperty("skipped").GetInt32());
        foreach (var name in new[] { "applied", "failed", "skipped", "notFinished" })
        {
            Assert.Contains($"data-figure=\"$.{name}\" data-format=\"number\">{root.GetProperty(name).GetInt32()}</span>", html, StringComparison.Ordinal);
        }

        var partners = root.GetProperty("partners").EnumerateArray().ToList();
        Assert.Equal(4, partners.Sum(p => p.GetProperty("accounts").GetInt32()));
        for (var i = 0; i < partners.Count; i++)
        {
            Assert.Contains($"data-figure=\"$.partners[{i}].accounts\" data-format=\"number\">{partners[i].GetProperty("accounts").GetInt32()}</span>", html, StringComparison.Ordinal);
            Assert.Contains(partners[i].GetProperty("partnerId").GetString()!, html, StringComparison.Ordinal);
        }

        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains($"A plug-in refused account {refused:D}.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static Guid CustomerId(int n) => Guid.Parse($"10000000-0000-0000-0000-00000000000{n}");

    private static void Seed(FakeOrg org)
    {
        org.Add(new FakeAccount { Id = PartnerA, Name = "Fabrikam Partners", RelationshipType = 5, Capacity = 1, Countries = "DE", Team = TeamA });
        org.Add(new FakeAccount { Id = PartnerB, Name = "Northwind Resellers", RelationshipType = 9, Capacity = 4, Team = TeamA });
        for (var n = 1; n <= 6; n++)
        {
            org.Add(new FakeAccount
            {
                Id = CustomerId(n),
                Name = $"Customer {n}",
                Number = $"A-{n}",
                Country = n % 2 == 0 ? "Germany" : "France",
                Owner = Seller,
                OwnerTable = "systemuser",
                Active = n != 6,
                Partner = n == 5 ? PartnerB : null,
            });
        }
    }

    private sealed class ThrowingCredential(string message) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException(message);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException(message);
    }
}
