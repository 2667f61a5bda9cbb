using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// --dry-run against the embedded org: the commands read and plan for real, yet no row changes. Dataverse raises a
/// row's versionnumber on every update (the concurrency token behind If-Match; "Optimistic concurrency" on Microsoft
/// Learn), and the emulator does the same, so an unchanged versionnumber on every row means nothing was written.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class DryRunTests(SeededStateFixture seeded)
{
    private static readonly string[] Tables = { "account", "pg_reassignmentrun" };

    [Fact]
    public async Task DryRun_PlanApplyDistribute_LeaveEveryRowsVersionNumberUnchanged()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        var before = Versions(folder);
        var output = new StringWriter();

        var plan = await RunAsync(temp.Path, output, "plan", "--strategy", "balanced", "--max-accounts", "20", "--run-id", "dry-1", "--out", "dry-1.csv");
        var apply = await RunAsync(temp.Path, output, "apply", "--plan", "dry-1.csv", "--dry-run", "--output", "reports");
        var distribute = await RunAsync(temp.Path, output, "distribute", "--strategy", "balanced", "--wave-size", "15", "--run-id", "dry-2", "--dry-run", "--output", "reports");

        Assert.Equal([ExitCodes.Done, ExitCodes.Done, ExitCodes.Done], new[] { plan, apply, distribute });
        Assert.Contains("Dry run of 'dry-1' (apply): would write 20 changes", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dry run of 'dry-2' (apply): would write 15 changes", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(21, File.ReadAllLines(Path.Combine(temp.Path, "reports", "dry-1.apply.dry-run.csv")).Length);
        Assert.False(Directory.Exists(Path.Combine(temp.Path, ".partnerguard", "runs")) && Directory.EnumerateFiles(Path.Combine(temp.Path, ".partnerguard", "runs")).Any());
        var after = Versions(folder);
        Assert.NotEmpty(before);
        Assert.All(before.Values, v => Assert.True(v > 0, "the emulator stamps every row with a versionnumber"));
        Assert.Equal(before, after);
    }

    private static async Task<int> RunAsync(string workingDirectory, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(workingDirectory, output, error));
        output.Write(error.ToString());
        return code;
    }

    private static Dictionary<string, long> Versions(string folder)
    {
        using var org = EmbeddedOrg.Open(folder, TimeProvider.System);
        var service = org.Org.GetService();
        var versions = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            foreach (var row in service.RetrieveMultiple(new QueryExpression(table) { ColumnSet = new ColumnSet("versionnumber") }).Entities)
            {
                versions[$"{table}:{row.Id:D}"] = row.GetAttributeValue<long>("versionnumber");
            }
        }

        return versions;
    }
}
