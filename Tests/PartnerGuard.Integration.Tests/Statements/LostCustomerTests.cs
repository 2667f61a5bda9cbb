using System.Text.Json;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Tests.Transparency;

namespace PartnerGuard.Integration.Tests.Statements;

/// <summary>
/// Customers lost come from the run journals the runs wrote (written here with the runs' own journal writer): Iota went
/// Tailspin → Fabrikam (pg-wave-2) → Northwind (pg-wave-3), Epsilon went back from Tailspin to no partner when
/// pg-wave-0 was undone, and Delta's change in pg-wave-3 was skipped (not a loss).
/// </summary>
public sealed class LostCustomerTests
{
    [Fact]
    public async Task Statement_Journals_ListTheCustomersEachPartnerLostAndWhy()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        var runs = cli.Path(".partnerguard", "runs");
        Directory.CreateDirectory(runs);
        await WriteAsync(runs, "pg-wave-0", "undo", new DateTime(2026, 10, 5, 0, 0, 0, DateTimeKind.Utc), (Scenario.E, Scenario.Tailspin, null, AccountOutcome.Applied));
        await WriteAsync(runs, "pg-wave-2", "apply", new DateTime(2026, 11, 15, 0, 0, 0, DateTimeKind.Utc), (StatementScenario.Iota, Scenario.Tailspin, Scenario.Fabrikam, AccountOutcome.Applied));
        await WriteAsync(runs, "pg-wave-3", "apply", new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc),
            (StatementScenario.Iota, Scenario.Fabrikam, Scenario.Northwind, AccountOutcome.Applied),
            (Scenario.D, Scenario.Fabrikam, Scenario.Northwind, AccountOutcome.Skipped));

        Assert.Equal(0, await cli.RunAsync("statement", "--all", "--output", "all"));
        Assert.Equal(0, await cli.RunAsync("statement", "--partner", Scenario.Tailspin.ToString("D"), "--since", "2026-11-01", "--output", "since"));

        var tailspin = Lost(cli.Path("all", "tailspin-b0000000000000000000000000000003.json"));
        Assert.Equal(
            [("Epsilon SA", null, "Run pg-wave-0 was undone", "2026-10-05"), (StatementScenario.IotaName, "Fabrikam", "Run pg-wave-2 reassigned the customer", "2026-11-15")],
            tailspin);
        Assert.Equal([(StatementScenario.IotaName, "Northwind", "Run pg-wave-3 reassigned the customer", "2026-11-20")], Lost(cli.Path("all", "fabrikam-b0000000000000000000000000000002.json")));
        Assert.Empty(Lost(cli.Path("all", "northwind-b0000000000000000000000000000001.json")));
        Assert.Equal([(StatementScenario.IotaName, "Fabrikam", "Run pg-wave-2 reassigned the customer", "2026-11-15")], Lost(cli.Path("since", "tailspin-b0000000000000000000000000000003.json")));

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("all", "tailspin-b0000000000000000000000000000003.json")));
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("lostInPeriod").GetInt32());
        Assert.Contains("from the 3 run journals", json.RootElement.GetProperty("history").GetString(), StringComparison.Ordinal);
        Assert.Contains("Run pg-wave-2 reassigned the customer", File.ReadAllText(cli.Path("all", "tailspin-b0000000000000000000000000000003.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statement_DamagedJournal_WarnsAndWritesTheStatements()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        var runs = cli.Path(".partnerguard", "runs");
        Directory.CreateDirectory(runs);
        File.WriteAllText(Path.Combine(runs, "pg-bad.apply.journal"), "not json\n{\"kind\":\"finish\"}\n");

        Assert.Equal(0, await cli.RunAsync("statement", "--all", "--output", "all"));

        Assert.Contains("the journal", cli.StandardError, StringComparison.Ordinal);
        Assert.Contains("pg-bad.apply.journal", cli.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.Path("all", "index.html")));
    }

    private static async Task WriteAsync(string folder, string run, string operation, DateTime at, params (Guid Account, Guid Prior, Guid? Target, AccountOutcome Outcome)[] changes)
    {
        using var journal = RunJournal.Open(RunJournal.PathFor(folder, run, operation), run, operation, new string('0', 64), new VirtualTimeProvider(new DateTimeOffset(at)));
        var batch = journal.NextBatch();
        await journal.WriteDecisionsAsync(batch, [], changes.Select(c => new AccountChange(c.Account, State(c.Prior, run), State(c.Target, run))).ToList());
        await journal.WriteOutcomeAsync(batch, changes.Select(c => new AccountResult(c.Account, c.Outcome)).ToList());
        await journal.WriteFinishAsync();
    }

    private static AccountState State(Guid? partner, string run) => new(partner, null, null, null, partner is null ? null : run);

    private static List<(string? Name, string? NewPartner, string Why, string On)> Lost(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("lost").EnumerateArray()
            .Select(l => (l.GetProperty("name").GetString(), l.GetProperty("newPartner").GetString(), l.GetProperty("why").GetString()!, l.GetProperty("on").GetString()![..10]))
            .ToList();
    }
}
