using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// Issue #12 defect 7 through the command line on the embedded org: mapping rows that match no account are reported
/// (count and rows, in the output and in a CSV beside the plan), and a plan cut at a line boundary is refused by
/// apply before anything is written.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class PlanIntegrityTests(SeededStateFixture seeded)
{
    private const string Unknown = "0badc0de-0000-4000-8000-000000000003";

    [Fact]
    public async Task Plan_MappingRowsThatMatchNoAccount_AreCountedListedAndWritten()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "plan", "--strategy", "balanced", "--max-accounts", "3", "--run-id", "b", "--out", "b.csv"));
        var planned = Rows(Path.Combine(temp.Path, "b.csv"));
        var partner = planned[0].Partner;
        File.WriteAllLines(Path.Combine(temp.Path, "map.csv"), ["account_id,partner_id", .. planned.Select(r => $"{r.Account},{r.Partner}"), $"{Unknown},{partner}"]);

        var code = await RunAsync(temp.Path, output, "plan", "--strategy", "mapping", "--mapping", "map.csv", "--run-id", "m", "--out", "m.csv");

        Assert.True(code == ExitCodes.Done, output.ToString());
        Assert.Equal(planned.Select(r => r.Account).Order(), Rows(Path.Combine(temp.Path, "m.csv")).Select(r => r.Account).Order());
        Assert.Contains("1 of 4 rows of map.csv matched no account that could be planned", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"  line 5: account_id {Unknown}", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["line,account_id,partner_id", $"5,{Unknown},{partner}"], File.ReadAllLines(Path.Combine(temp.Path, "m.mapping-unmatched.csv")));
    }

    [Fact]
    public async Task Apply_PlanCutAtALineBoundary_IsRefused_NothingWritten()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "plan", "--strategy", "balanced", "--max-accounts", "30", "--run-id", "cut", "--out", "plan.csv"));
        var path = Path.Combine(temp.Path, "plan.csv");
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Take(lines.Length - 11)); // the end line and the last ten rows gone

        var code = await RunAsync(temp.Path, output, "apply", "--plan", "plan.csv", "--yes", "--output", "rep");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("plan.csv: the plan does not end with its '# end: N rows' line, so the file was cut short", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(temp.Path, ".partnerguard", "runs", "cut.apply.journal")));
    }

    private static List<(string Account, string Partner)> Rows(string csvPlan) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(csvPlan, ".json")))!["rows"]!.AsArray()
            .Select(r => ((string)r!["account_id"]!, (string)r["new_partner_id"]!)).ToList();

    private static async Task<int> RunAsync(string workingDirectory, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(workingDirectory, output, error));
        output.Write(error.ToString());
        return code;
    }
}
