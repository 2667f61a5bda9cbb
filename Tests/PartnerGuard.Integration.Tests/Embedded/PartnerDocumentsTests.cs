using PartnerGuard.Testing;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Tests.Support;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// `rules publish` and `statement --all` on the embedded default org right after the README's first command (a
/// balanced `distribute` wave), as a new user would run them; then `undo`, after which the statements list the
/// customers each partner lost from the run journals.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class PartnerDocumentsTests(SeededStateFixture seeded)
{
    [Fact]
    public async Task RulesPublishAndStatementAll_AfterTheFirstWave_WorkOnTheEmbeddedOrg()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new StringWriter();

        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "distribute", "--strategy", "balanced", "--wave-size", "40", "--run-id", "wave-1", "--yes"));
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "rules", "publish", "--output", "rules"));
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "statement", "--all", "--output", "before"));
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "undo", "--run", "wave-1", "--yes"));
        Assert.Equal(ExitCodes.Done, await RunAsync(temp.Path, output, "statement", "--all", "--output", "after"));

        var markdown = File.ReadAllText(Path.Combine(temp.Path, "rules", "rules-of-engagement.md"));
        Assert.Contains("| 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 4 |", markdown, StringComparison.Ordinal); // the demo's four direct sales rules
        var before = Index(Path.Combine(temp.Path, "before"));
        var after = Index(Path.Combine(temp.Path, "after"));
        Assert.NotEmpty(before);
        Assert.Equal(before.Count, after.Count);
        // The wave assigned 40 customers and the undo took all 40 back: each partner lost what it had gained.
        Assert.Equal(0, before.Sum(p => p.Lost));
        Assert.Equal(40, after.Sum(p => p.Lost));
        Assert.Equal(40, before.Sum(p => p.Customers) - after.Sum(p => p.Customers));
    }

    private static List<(int Customers, int Lost)> Index(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "index.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Select(cells => (int.Parse(cells[^8], System.Globalization.CultureInfo.InvariantCulture), int.Parse(cells[^7], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    private static async Task<int> RunAsync(string workingDirectory, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(workingDirectory, output, error));
        output.Write(error.ToString());
        Assert.True(code == ExitCodes.Done, output.ToString());
        return code;
    }
}
