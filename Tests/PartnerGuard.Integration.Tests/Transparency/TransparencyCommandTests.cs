using System.Text.Json;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Reports;
using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>
/// The commands end to end: the scenario seeded into the emulator with the PartnerGuard solution loaded, read by the
/// console over the Web API (paged three rows at a time), reports written to --output.
/// </summary>
public sealed class TransparencyCommandTests
{
    [Fact]
    public async Task Audit_OverTheWebApi_WritesTheHandCheckedFigures()
    {
        using var cli = new TransparencyCli();

        var code = await cli.RunAsync("audit", "--output", "out");

        Assert.True(code == 0, cli.StandardOutput + cli.StandardError);
        Assert.Equal(
            ["out/audit-channels.csv", "out/audit-conflicts.csv", "out/audit-direct-by-rule.csv", "out/audit-leakage.csv", "out/audit-partners.csv", "out/audit-runs.csv", "out/audit.html", "out/audit.json"],
            cli.Files().Select(f => f.Replace('\\', '/')));
        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "audit.json")));
        var root = json.RootElement;
        Assert.Equal(10, root.GetProperty("coverage").GetProperty("open").GetProperty("deals").GetInt32());
        Assert.Equal(1_430_000m, root.GetProperty("coverage").GetProperty("open").GetProperty("value").GetDecimal());
        Assert.Equal(0.1259m, root.GetProperty("coverage").GetProperty("valueShareWithPartner").GetDecimal());
        Assert.Equal(670_000m, root.GetProperty("leakage").GetProperty("total").GetProperty("value").GetDecimal());
        Assert.Equal(1, root.GetProperty("conflicts").GetProperty("total").GetProperty("deals").GetInt32());
        Assert.Equal(0.1m, root.GetProperty("distribution").GetProperty("fairness").GetProperty("loadSpread").GetDecimal());
        Assert.Equal(2, root.GetProperty("progress").GetProperty("eligibleLeft").GetInt32());
        Assert.Equal(0.125m, root.GetProperty("progress").GetProperty("waves")[0].GetProperty("assignedShareByThen").GetDecimal());

        // What the console read over HTTP gives exactly the figures of the plain records.
        var expected = AuditCalculator.Compute(Scenario.Snapshot());
        Assert.Equal(ReportJson.Serialize(expected), File.ReadAllText(cli.Path("out", "audit.json")));
        Assert.Contains("Coverage: 3 of 10 open deals have a partner", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("4 open deals without a partner or a covering rule", cli.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leakage")]
    [InlineData("conflict")]
    public async Task Audit_FailOn_FindingsExitWithTwo(string failOn)
    {
        using var cli = new TransparencyCli();

        var code = await cli.RunAsync("audit", "--output", "out", "--fail-on", failOn);

        Assert.Equal(2, code);
        Assert.Contains(failOn == "leakage" ? "4 leaking deals" : "1 deals in conflict", cli.StandardError, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.Path("out", "audit.json")), "The report is written even when the audit fails the job.");
    }

    [Fact]
    public async Task Simulate_DraftFile_ReportsTheHandCheckedDiff()
    {
        using var cli = new TransparencyCli();
        File.WriteAllText(cli.Path("draft.json"), Scenario.DraftJson);

        var code = await cli.RunAsync("simulate", "--rules", "draft.json", "--output", "sim");

        Assert.True(code == 0, cli.StandardOutput + cli.StandardError);
        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("sim", "simulate.json")));
        var counts = new[] { "newlyDirect", "noLongerDirect", "directByAnotherRule", "leavePool", "joinPool" }
            .Select(name => (name, json.RootElement.GetProperty(name).GetProperty("count").GetInt32(), json.RootElement.GetProperty(name).GetProperty("value").GetDecimal()));
        Assert.Equal([("newlyDirect", 2, 620_000m), ("noLongerDirect", 1, 200_000m), ("directByAnotherRule", 1, 80_000m), ("leavePool", 1, 620_000m), ("joinPool", 1, 200_000m)], counts);
        Assert.Contains("B-1: Direct (Japan direct) → Blocked.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.Path("sim", "simulate-changes.csv")));
        Assert.True(File.Exists(cli.Path("sim", "simulate.html")));
    }

    [Fact]
    public async Task Validate_MalformedFile_ExitsOneNamingEveryProblemAndWritesNothing()
    {
        using var cli = new TransparencyCli();
        File.WriteAllText(cli.Path("bad.json"), """
            {
              "format": "partnerguard-rules/1",
              "rules": [
                { "name": "Spooky", "kind": "Astrology", "priority": 20 },
                { "name": "Deals", "kind": "DealSizeAbove", "priority": 30 },
                { "name": "Nordics", "kind": "Geography", "countries": ["SE", "XX"], "priority": 40 },
                { "name": "deals", "kind": "DealSizeAbove", "threshold": 5, "priority": 50 }
              ]
            }
            """);
        File.WriteAllText(cli.Path("notjson.json"), "{ \"rules\": [\n  { \"name\": 'x' }\n] }");

        foreach (var command in new[] { new[] { "rules", "validate", "bad.json" }, ["rules", "import", "bad.json", "--yes", "--output", "out"], ["simulate", "--rules", "bad.json", "--output", "out"] })
        {
            var code = await cli.RunAsync(command);

            Assert.Equal(1, code);
            Assert.Contains("bad.json has 4 problems; nothing was written:", cli.StandardError, StringComparison.Ordinal);
            foreach (var path in new[] { "$.rules[0].kind:", "$.rules[1].threshold:", "$.rules[2].countries[1]:", "$.rules[3].name:" })
            {
                Assert.Contains("  " + path, cli.StandardError, StringComparison.Ordinal);
            }
        }

        Assert.Equal(1, await cli.RunAsync("rules", "validate", "notjson.json"));
        Assert.Contains("line 2, column ", cli.StandardError, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", cli.StandardError, StringComparison.Ordinal);

        Assert.Equal(["bad.json", "notjson.json"], cli.Files());
        Assert.Equal(Scenario.Rules.Count, cli.Org.Count("pg_directsalesrule"));
    }

    [Fact]
    public async Task Import_DryRunThenYesThenAgain_WritesOnceAndIsIdempotent()
    {
        using var cli = new TransparencyCli();
        File.WriteAllText(cli.Path("draft.json"), Scenario.DraftJson);

        // Without --yes: the diff, and nothing written.
        Assert.Equal(0, await cli.RunAsync("rules", "import", "draft.json", "--output", "dry"));
        Assert.Contains("1 added, 1 changed, 1 unchanged, 1 in the org but missing from the file.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("threshold: '1000000000' → '5000000'", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Nothing written.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1_000_000_000m, Threshold(cli, Scenario.Enterprise));
        Assert.Equal(3, cli.Org.Count("pg_directsalesrule"));

        // With --yes: written (through the rule validation plugin the solution registers); Japan is only reported.
        Assert.Equal(0, await cli.RunAsync("rules", "import", "draft.json", "--yes", "--output", "yes"));
        Assert.Contains("Written: 1 added, 1 changed.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(5_000_000m, Threshold(cli, Scenario.Enterprise));
        Assert.Equal(4, cli.Org.Count("pg_directsalesrule"));

        // Again: nothing to do.
        Assert.Equal(0, await cli.RunAsync("rules", "import", "draft.json", "--yes", "--output", "again"));
        Assert.Contains("0 added, 0 changed, 3 unchanged, 1 in the org but missing from the file.", cli.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("No changes to write.", cli.StandardOutput, StringComparison.Ordinal);
        using var again = JsonDocument.Parse(File.ReadAllText(cli.Path("again", "rules-import.json")));
        Assert.False(again.RootElement.GetProperty("written").GetBoolean());

        // The export of the org now lists the file's rules plus the one it lacks, and re-imports as unchanged.
        Assert.Equal(0, await cli.RunAsync("rules", "export", "exported.json"));
        var exported = File.ReadAllText(cli.Path("exported.json"));
        var (rules, problems) = RulesDocument.Read(exported);
        Assert.Empty(problems);
        Assert.Equal(["Enterprise", "Japan direct", "Old promo", "Finland direct"], rules.Select(r => r.Name));
        Assert.Equal(0, await cli.RunAsync("rules", "import", "exported.json", "--output", "roundtrip"));
        Assert.Contains("0 added, 0 changed, 4 unchanged, 0 in the org", cli.StandardOutput, StringComparison.Ordinal);

        // --delete-missing removes rules the file lacks, only when asked.
        Assert.Equal(0, await cli.RunAsync("rules", "import", "draft.json", "--yes", "--delete-missing", "--output", "delete"));
        Assert.Equal(3, cli.Org.Count("pg_directsalesrule"));
    }

    private static decimal? Threshold(TransparencyCli cli, Guid rule) =>
        cli.Org.GetService().Retrieve("pg_directsalesrule", rule, new ColumnSet("pg_threshold")).GetAttributeValue<decimal?>("pg_threshold");
}
