using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Journal;

/// <summary>
/// DESIGN §7 "Nothing lost": kill the job mid-run, resume, and every account is changed exactly once; undo
/// restores exact prior values. The process is "killed" at every step of the protocol in turn — each server
/// read, before the server sees a batch, after it applied one but before the answer arrived, and in the
/// middle of every journal line (a torn write) — then a fresh runner resumes from the file.
/// </summary>
public class ExactlyOnceTests
{
    private const string RunId = "wave-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid PartnerA = Guid.Parse("90000000-0000-0000-0000-00000000000a");
    private static readonly Guid PartnerB = Guid.Parse("90000000-0000-0000-0000-00000000000b");
    private static readonly Guid Seller = Guid.Parse("50000000-0000-0000-0000-000000000001");
    private static readonly Guid[] Accounts = Enumerable.Range(1, 7).Select(i => Guid.Parse($"10000000-0000-0000-0000-00000000000{i}")).ToArray();
    private static readonly Guid Refused = Accounts[4];
    private static readonly Guid ChangedSincePlan = Accounts[5];

    public static TheoryData<int, bool> CrashPoints()
    {
        var data = new TheoryData<int, bool>();
        var steps = CleanRunSteps();
        for (var step = 1; step <= steps; step++)
        {
            data.Add(step, false);
            data.Add(step, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task Apply_KilledAtAnyStep_ResumesAndChangesEachAccountExactlyOnce(int crashStep, bool tornJournalLine)
    {
        using var folder = new TempDirectory();
        var server = Seed();
        var clock = new StepClock(crashStep);
        server.Steps = clock;
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");

        var first = await RunApply(server, path, Faults(clock, tornJournalLine));
        Assert.True(clock.Crashed, $"step {crashStep} was never reached");
        Assert.True(first.Interrupted, "a crash must interrupt the run");
        Assert.Equal(4, first.ExitCode);

        server.Steps = new StepClock(null);
        var results = new List<AccountResult>();
        var second = await RunApply(server, path, faults: null, results);

        Assert.False(second.Interrupted, second.InterruptionReason);
        // The resumed run reports every account once: earlier sessions' results from the journal, the rest as done now.
        Assert.Equal(Accounts.Order(), results.Select(r => r.AccountId).Order());
        AssertAppliedExactlyOnce(server, second);
        AssertJournalKeepsTheOriginalPriorState(path);
    }

    [Fact]
    public async Task Apply_CleanRun_ReportsAppliedFailedAndSkipped()
    {
        using var folder = new TempDirectory();
        var server = Seed();

        var results = new List<AccountResult>();

        var summary = await RunApply(server, RunJournal.PathFor(folder.Path, RunId, "apply"), null, results);

        Assert.Equal(5, summary.Applied);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Skipped);
        Assert.Equal(2, summary.ExitCode);
        Assert.Equal(7, results.Count); // every account's result reached the observer (the results CSV) once
        Assert.Equal("0x80040265", results.Single(r => r.AccountId == Refused).Code);
        Assert.Equal("0x80040265", summary.Failures.Single().Code);
        Assert.Contains("since the plan", results.Single(r => r.AccountId == ChangedSincePlan).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_RunAgainAfterFinishing_WritesNothing()
    {
        using var folder = new TempDirectory();
        var server = Seed();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");

        await RunApply(server, path, null);
        var again = await RunApply(server, path, null);

        Assert.Equal(5, again.Applied);
        Assert.All(Accounts.Except([Refused, ChangedSincePlan]), id => Assert.Equal(1, server.WritesOf(id)));
    }

    [Fact]
    public async Task Undo_RestoresExactPriorValues_AndSkipsAccountsChangedSince()
    {
        using var folder = new TempDirectory();
        var server = Seed();
        var applyPath = RunJournal.PathFor(folder.Path, RunId, "apply");
        var before = Accounts.ToDictionary(id => id, server.StateOf);
        await RunApply(server, applyPath, null);
        var touchedLater = Accounts[2];
        server.Seed(touchedLater, server.StateOf(touchedLater) with { PartnerId = PartnerB });

        var undo = UndoRequests.Scan(applyPath);
        var requests = undo.Requests().ToList();
        Assert.Equal(5, undo.Count);
        Assert.Equal(0, undo.InDoubt);
        using var journal = RunJournal.Open(RunJournal.PathFor(folder.Path, RunId, "undo"), RunId, "undo", "apply-journal", TimeProvider.System);
        var summary = await new ChangeRunner(server, journal, RunKind.Undo, batchSize: 2, parallelism: 1).RunAsync(RunId, requests, requests.Count, CancellationToken.None);

        Assert.Equal(4, summary.Applied);
        Assert.Equal(1, summary.Skipped);
        foreach (var id in Accounts.Except([touchedLater]))
        {
            Assert.Equal(before[id], server.StateOf(id));
        }

        Assert.Equal(PartnerB, server.StateOf(touchedLater).PartnerId);
    }

    [Fact]
    public void Open_JournalOfAnotherPlan_IsRefused()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System).Dispose();

        var error = Assert.Throws<JournalException>(() => RunJournal.Open(path, RunId, "apply", "plan-2", TimeProvider.System));

        Assert.Contains("different plan", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DamageBeforeTheLastLine_IsRefusedWithTheLineNumber()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System).Dispose();
        File.AppendAllText(path, "{not json\n{\"kind\":\"finish\"}\n");

        var error = Assert.Throws<JournalException>(() => RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"kind\":\"outc")]
    [InlineData("{\"kind\":\"outcome\",\"batch\":1,\"resu\0\0\0\0")]
    [InlineData("\0\0\0\0\0\0")]
    public void Open_TornLastLine_IsIgnoredAndCutOff(string tail)
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System).Dispose();
        var intact = File.ReadAllBytes(path).Length;
        File.AppendAllText(path, tail);

        using (var journal = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System))
        {
            Assert.Equal(1, journal.Replay.Lines);
        }

        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("{\"kind\":\"start\"", l, StringComparison.Ordinal));
        Assert.True(File.ReadAllBytes(path).Length > intact);
    }

    private static int CleanRunSteps()
    {
        using var folder = new TempDirectory();
        var server = Seed();
        var clock = new StepClock(null);
        server.Steps = clock;
        RunApply(server, RunJournal.PathFor(folder.Path, RunId, "apply"), Faults(clock, torn: false)).GetAwaiter().GetResult();
        return clock.Count;
    }

    /// <summary>Journal appends count as steps too; at the crash step the line is torn (half written) or lost whole.</summary>
    private static JournalFaults Faults(StepClock clock, bool torn) =>
        new((_, length) => clock.Next("journal") ? (torn ? length / 2 : 0) : null);

    private static async Task<RunSummary> RunApply(InMemoryAccounts server, string path, JournalFaults? faults, List<AccountResult>? results = null)
    {
        try
        {
            using var journal = RunJournal.Open(path, RunId, "apply", "plan-sha", TimeProvider.System, faults);
            var requests = Accounts.Select(id => new ChangeRequest(
                id,
                new AccountState(null, null, null, null, null),
                new AccountState(id == Accounts[6] ? PartnerB : PartnerA, null, null, Now, RunId))).ToList();
            var tally = new RunTally((_, result) => results?.Add(result));
            return await new ChangeRunner(server, journal, RunKind.Apply, batchSize: 3, parallelism: 1).RunAsync(RunId, requests, requests.Count, CancellationToken.None, tally);
        }
        catch (SimulatedCrashException error)
        {
            // Killed while opening the journal: nothing after it ran.
            return RunSummary.Stopped(RunId, "apply", Accounts.Length, error.Message);
        }
    }

    private static InMemoryAccounts Seed()
    {
        var server = new InMemoryAccounts();
        foreach (var id in Accounts)
        {
            server.Seed(id, new AccountState(null, Seller, "systemuser", null, null));
        }

        server.Seed(ChangedSincePlan, new AccountState(PartnerB, Seller, "systemuser", Now.AddDays(-1), "other-run"));
        server.Refuse.Add(Refused);
        return server;
    }

    private static void AssertAppliedExactlyOnce(InMemoryAccounts server, RunSummary summary)
    {
        foreach (var id in Accounts)
        {
            var expectedWrites = id == Refused || id == ChangedSincePlan ? 0 : 1;
            Assert.True(expectedWrites == server.WritesOf(id), $"account {id} was written {server.WritesOf(id)} times");
        }

        Assert.Equal(5, summary.Applied);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Skipped);
        Assert.Equal(PartnerB, server.StateOf(Accounts[6]).PartnerId);
        Assert.Equal(RunId, server.StateOf(Accounts[0]).AssignmentRun);
    }

    /// <summary>Every intent of an account (a resent in-doubt one too) carries the state found before the run first changed it.</summary>
    private static void AssertJournalKeepsTheOriginalPriorState(string path)
    {
        var replay = RunJournal.ReadOnly(path);
        using var stream = File.OpenRead(path);
        var priors = JournalLines.Read(stream, path)
            .Where(l => l.Record.Kind == JournalKinds.Intent)
            .SelectMany(l => l.Record.Changes!)
            .ToLookup(c => c.Id, c => c.Prior.ToState());
        foreach (var id in Accounts.Except([Refused, ChangedSincePlan]))
        {
            Assert.Equal(AccountOutcome.Applied, replay.OutcomeOf(id));
            Assert.NotEmpty(priors[id]);
            Assert.All(priors[id], prior => Assert.Equal(new AccountState(null, Seller, "systemuser", null, null), prior));
        }

        Assert.Empty(replay.InDoubt());
    }
}
