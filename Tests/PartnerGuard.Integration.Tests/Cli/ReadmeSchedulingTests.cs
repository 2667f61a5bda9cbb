using System.Globalization;
using System.Text.RegularExpressions;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Embedded;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Cli;

/// <summary>
/// The README's scheduling examples (cron, systemd, GitHub Actions, Kubernetes) are true: every `distribute` command
/// line in that section is taken from the README as written, its absolute paths moved under a temporary folder and
/// the pod's shell expansions made as sh makes them for index 0, and run against the embedded org there. Each plans,
/// applies and finishes its wave; run again, each finishes a wave left unfinished (its plan is still there, its
/// journal has no finish line) instead of planning another (issue #12 defect 3).
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed partial class ReadmeSchedulingTests(SeededStateFixture seeded)
{
    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (kind, line) in CommandLines())
        {
            data.Add(kind, line);
        }

        return data;
    }

    [Fact]
    public void Readme_HasACommandLineForEverySchedulerItShows()
    {
        Assert.Equal(["cron", "github-actions", "kubernetes", "systemd"], CommandLines().Select(c => c.Kind).Order());
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task ReadmeCommandLine_RunsAWave_AndTheSameLineFinishesAnUnfinishedOne(string kind, string line)
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var args = Arguments(line, temp.Path);
        var journals = Path.GetFullPath(Path.Combine(temp.Path, args[Array.IndexOf(args, "--journal-dir") + 1]));
        var size = int.Parse(args[Array.IndexOf(args, "--wave-size") + 1], CultureInfo.InvariantCulture);
        var output = new StringWriter();

        Assert.True(await RunAsync(temp.Path, output, args) == ExitCodes.Done, $"{kind}: {output}");
        var first = Assert.Single(Directory.GetFiles(journals, "*.apply.journal"));
        var replay = RunJournal.ReadOnly(first);
        Assert.True(replay.Finished);
        Assert.Equal(size, replay.AccountCount);

        // Leave the wave unfinished as an interruption would (its finish line gone), then run the same line again.
        var lines = File.ReadAllLines(first);
        File.WriteAllLines(first, lines.Where(l => !l.Contains("\"kind\":\"finish\"", StringComparison.Ordinal)));
        var runId = Path.GetFileName(first)[..^".apply.journal".Length];
        Assert.True(await RunAsync(temp.Path, output, args) == ExitCodes.Done, $"{kind}: {output}");

        Assert.Contains($"Wave '{runId}' in {journals} did not finish; finishing it", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(first, Assert.Single(Directory.GetFiles(journals, "*.apply.journal")));
        Assert.True(RunJournal.ReadOnly(first).Finished);
    }

    /// <summary>The README's `distribute` command lines in its Scheduling section, with the scheduler each belongs to.</summary>
    private static List<(string Kind, string Line)> CommandLines()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "README.md"));
        var start = readme.IndexOf("### Scheduling", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n## ", start, StringComparison.Ordinal)];
        return Command().Matches(section).Select(m => (Kind(m.Value), m.Groups["args"].Value)).ToList();
    }

    private static string Kind(string match) => match switch
    {
        _ when match.StartsWith("./partnerguard", StringComparison.Ordinal) => "cron",
        _ when match.StartsWith("ExecStart=", StringComparison.Ordinal) => "systemd",
        _ when match.StartsWith("dotnet run", StringComparison.Ordinal) => "github-actions",
        _ => "kubernetes",
    };

    /// <summary>The words of a command line as sh gives them to the program (index 0 of the Job), absolute paths under <paramref name="root"/>.</summary>
    private static string[] Arguments(string line, string root)
    {
        var script = line
            .Replace("$((JOB_COMPLETION_INDEX + 1))", "1", StringComparison.Ordinal)
            .Replace("$JOB_COMPLETION_INDEX", "0", StringComparison.Ordinal);
        Assert.DoesNotContain("$", script, StringComparison.Ordinal);
        var words = script.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Select(w => w.StartsWith('/') ? Path.Combine(root, w.TrimStart('/')) : w).ToArray();
    }

    private static async Task<int> RunAsync(string workingDirectory, StringWriter output, string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(workingDirectory, output, error));
        output.Write(error.ToString());
        return code;
    }

    [GeneratedRegex(@"(?:\./partnerguard |ExecStart=\S*partnerguard |dotnet run --project Integration -c Release -- |""partnerguard )(?<args>distribute [^""\r\n]*)")]
    private static partial Regex Command();
}
