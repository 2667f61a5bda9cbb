using System.Diagnostics;
using System.Text.Json.Nodes;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// Issue #12 defect 1: the built console, started as a real child process on the embedded org and killed hard
/// while its journal grows, leaves an org.json that holds every change the journal records as applied; the same
/// command then finishes the run, and every planned account has its planned partner exactly once.
/// The kill is triggered by the journal's content (outcome lines), never by a timer.
/// </summary>
public sealed class HardKillTests
{
    private const string RunId = "k1";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Distribute_KilledAfterOutcomes_OrgHoldsEveryJournalledChange_AndTheSameCommandFinishes(int outcomesBeforeKill)
    {
        using var temp = new TempDirectory();
        string[] command = ["distribute", "--strategy", "balanced", "--wave-size", "600", "--batch-size", "100", "--yes", "--run-id", RunId, "--output", "rep"];
        var journal = Path.Combine(temp.Path, ".partnerguard", "runs", RunId + ".apply.journal");

        using (var child = Start(temp.Path, command))
        {
            while (!child.HasExited && CountOutcomes(journal) < outcomesBeforeKill)
            {
                Thread.Yield();
            }

            Assert.False(child.HasExited, "the run ended before the kill point; the wave is too small for this test");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        var org = ReadAccounts(temp.Path);
        var (_, applied) = ReadJournal(journal);
        Assert.True(applied.Count >= outcomesBeforeKill);
        foreach (var id in applied)
        {
            Assert.Equal(RunId, (string?)org[id]["pg_assignmentrun"]);
        }

        using (var resume = Start(temp.Path, command))
        {
            resume.WaitForExit();
            Assert.Equal(0, resume.ExitCode);
        }

        var (targets, _) = ReadJournal(journal);
        var after = ReadAccounts(temp.Path);
        Assert.Equal(600, targets.Count);
        Assert.Equal(targets.Keys.OrderBy(k => k), after.Where(a => (string?)a.Value["pg_assignmentrun"] == RunId).Select(a => a.Key).OrderBy(k => k));
        foreach (var (id, partner) in targets)
        {
            Assert.Equal(partner, (string?)after[id]["pg_assignedpartnerid"]?["id"]);
        }
    }

    /// <summary>
    /// Issue #12 defect 3: a scheduled job's command line has no --run-id. Killed mid-wave, the same command line
    /// finishes that wave instead of planning another: one plan in the journal folder, every planned account has its
    /// partner and the wave's stamp, and no other account was stamped by a run of this test.
    /// </summary>
    [Fact]
    public void Distribute_WithoutRunId_Killed_TheSameCommandLineFinishesThatWave()
    {
        using var temp = new TempDirectory();
        string[] command = ["distribute", "--strategy", "balanced", "--wave-size", "600", "--batch-size", "100", "--yes", "--output", "rep"];
        var runs = Path.Combine(temp.Path, ".partnerguard", "runs");

        using (var child = Start(temp.Path, command))
        {
            while (!child.HasExited && (Journals(runs) is not [var first] || CountOutcomes(first) < 2))
            {
                Thread.Yield();
            }

            Assert.False(child.HasExited, "the run ended before the kill point; the wave is too small for this test");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        var journal = Assert.Single(Journals(runs));
        var runId = Path.GetFileName(journal)[..^".apply.journal".Length];
        var (stdout, code) = RunToEnd(temp.Path, command);
        Assert.Equal(0, code);
        Assert.Contains($"Wave '{runId}'", stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(runs, "*.plan.csv"));
        Assert.Equal(journal, Assert.Single(Journals(runs)));

        var (targets, applied) = ReadJournal(journal);
        Assert.Equal(600, targets.Count);
        Assert.Equal(600, applied.Count);
        var after = ReadAccounts(temp.Path);
        var stamped = after.Where(a => ((string?)a.Value["pg_assignmentrun"])?.StartsWith("pg-", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(targets.Keys.Order(), stamped.Select(a => a.Key).Order());
        Assert.All(stamped, a => Assert.Equal(runId, (string?)a.Value["pg_assignmentrun"]));
        foreach (var (id, partner) in targets)
        {
            Assert.Equal(partner, (string?)after[id]["pg_assignedpartnerid"]?["id"]);
        }

        // The wave is finished: the same command line now plans the next wave, with a run id of its own.
        Assert.Equal(0, RunToEnd(temp.Path, command).Code);
        Assert.Equal(2, Journals(runs).Length);
    }

    /// <summary>
    /// Kills at the other phases (issue #12 "done means"): while planning (the draft plan's temporary file exists), while
    /// org.json is being saved after a write (its temporary file exists once the journal has an intent), and after the
    /// journal's finish line. Each time org.json is a whole file holding every journalled change, and the same command
    /// then leaves every planned account with its partner, changed once.
    /// </summary>
    [Theory]
    [InlineData("planning")]
    [InlineData("save")]
    [InlineData("finished")]
    public void Distribute_KilledAtAPhase_OrgIsWhole_AndTheSameCommandFinishesExactly(string phase)
    {
        using var temp = new TempDirectory();
        string[] command = ["distribute", "--strategy", "balanced", "--wave-size", "1000", "--batch-size", "50", "--yes", "--run-id", RunId, "--output", "rep"];
        var journal = Path.Combine(temp.Path, ".partnerguard", "runs", RunId + ".apply.journal");
        var draft = Path.Combine(temp.Path, "rep", RunId + ".distribute-plan.csv.tmp");
        var saving = Path.Combine(temp.Path, ".partnerguard", "org.json.tmp");
        Func<bool> reached = phase switch
        {
            "planning" => () => File.Exists(draft),
            "save" => () => File.Exists(saving) && JournalText(journal).Contains("\"kind\":\"intent\"", StringComparison.Ordinal),
            _ => () => JournalText(journal).Contains("\"kind\":\"finish\"", StringComparison.Ordinal),
        };

        using (var child = Start(temp.Path, command))
        {
            while (!child.HasExited && !reached())
            {
                Thread.Yield();
            }

            Assert.False(child.HasExited, $"the run ended before the kill point ({phase})");
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        var org = ReadAccounts(temp.Path); // a whole file: the save writes a temporary file and renames it
        var (_, applied) = File.Exists(journal) ? ReadJournal(journal) : ([], []);
        Assert.All(applied, id => Assert.Equal(RunId, (string?)org[id]["pg_assignmentrun"]));
        if (phase == "planning")
        {
            Assert.False(File.Exists(journal));
            Assert.DoesNotContain(org.Values, a => (string?)a["pg_assignmentrun"] == RunId);
        }

        var versions = org.ToDictionary(a => a.Key, a => (long?)a.Value["versionnumber"]);
        Assert.Equal(0, RunToEnd(temp.Path, command).Code);

        var (targets, _) = ReadJournal(journal);
        var after = ReadAccounts(temp.Path);
        Assert.Equal(1000, targets.Count);
        Assert.Equal(targets.Keys.Order(), after.Where(a => (string?)a.Value["pg_assignmentrun"] == RunId).Select(a => a.Key).Order());
        foreach (var (id, partner) in targets)
        {
            Assert.Equal(partner, (string?)after[id]["pg_assignedpartnerid"]?["id"]);
            if ((string?)org[id]["pg_assignmentrun"] == RunId)
            {
                Assert.Equal(versions[id], (long?)after[id]["versionnumber"]); // applied before the kill: not written again
            }
        }
    }

    /// <summary>Issue #12 defect 2: SIGINT and SIGTERM stop the run cleanly: exit 4, an Interrupted line, every intent has its outcome, the org holds every applied change.</summary>
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Distribute_Signalled_FinishesInFlightBatches_SavesAndExits4(string signal)
    {
        using var temp = new TempDirectory();
        string[] command = ["distribute", "--strategy", "balanced", "--wave-size", "2000", "--batch-size", "50", "--yes", "--run-id", RunId];
        var journal = Path.Combine(temp.Path, ".partnerguard", "runs", RunId + ".apply.journal");
        var start = Start(temp.Path, command, redirectError: true);
        using var child = start;
        var error = child.StandardError.ReadToEndAsync();
        while (!child.HasExited && CountOutcomes(journal) < 1)
        {
            Thread.Yield();
        }

        Assert.False(child.HasExited, "the run ended before the signal; the wave is too small for this test");
        using (var kill = Process.Start("kill", ["-" + signal, child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await child.WaitForExitAsync();
        Assert.Equal(4, child.ExitCode);
        Assert.Contains("Interrupted", await error, StringComparison.Ordinal);
        var lines = File.ReadAllLines(journal);
        Assert.Equal(lines.Count(l => l.Contains("\"kind\":\"intent\"", StringComparison.Ordinal)), lines.Count(l => l.Contains("\"kind\":\"outcome\"", StringComparison.Ordinal)));
        var (_, applied) = ReadJournal(journal);
        Assert.True(applied.Count < 2000, "the signal stopped nothing: the whole wave of 2000 was applied");
        var org = ReadAccounts(temp.Path);
        foreach (var id in applied)
        {
            Assert.Equal(RunId, (string?)org[id]["pg_assignmentrun"]);
        }
    }

    private static Process Start(string folder, string[] arguments, bool redirectError = false)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "partnerguard.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = false, RedirectStandardError = redirectError };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PARTNERGUARD_CONNECTION");
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static string[] Journals(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*.apply.journal") : [];

    private static (string Stdout, int Code) RunToEnd(string folder, string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "partnerguard.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("PARTNERGUARD_CONNECTION");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (stdout, process.ExitCode);
    }

    private static string JournalText(string journal)
    {
        try
        {
            using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static int CountOutcomes(string journal)
    {
        try
        {
            using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(line => line.EndsWith('}') && line.Contains("\"kind\":\"outcome\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The target partner of each intended change, and the accounts whose outcome is "applied".</summary>
    private static (Dictionary<string, string> Targets, HashSet<string> Applied) ReadJournal(string journal)
    {
        var targets = new Dictionary<string, string>();
        var applied = new HashSet<string>();
        foreach (var line in File.ReadAllLines(journal))
        {
            if (!line.EndsWith('}'))
            {
                continue;
            }

            var entry = JsonNode.Parse(line)!;
            switch ((string?)entry["kind"])
            {
                case "intent":
                    foreach (var change in entry["changes"]!.AsArray())
                    {
                        targets[(string)change!["id"]!] = (string)change["target"]!["partner"]!;
                    }

                    break;
                case "outcome":
                    foreach (var result in entry["results"]!.AsArray())
                    {
                        if ((string?)result!["outcome"] == "applied")
                        {
                            applied.Add((string)result["id"]!);
                        }
                    }

                    break;
            }
        }

        return (targets, applied);
    }

    private static Dictionary<string, JsonNode> ReadAccounts(string folder)
    {
        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ".partnerguard", "org.json")))!;
        return state["rows"]!["account"]!.AsArray().ToDictionary(row => (string)row!["id"]!, row => row!["values"]!);
    }
}
