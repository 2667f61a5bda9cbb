using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Journal;

/// <summary>
/// The journal's group commit: appends from parallel batches are written and flushed to disk together, and each
/// completes only once its line is in the file; the file replays as if the lines had been written one by one.
/// </summary>
public class GroupCommitTests
{
    private const string RunId = "wave-1";
    private static readonly AccountState Prior = new(null, Guid.Parse("50000000-0000-0000-0000-000000000001"), "systemuser", null, null);

    [Fact]
    public async Task ConcurrentAppends_WhileACommitIsUnderWay_AreCommittedTogether_AndAllReplay()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        using var inCommit = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // Append 1 is the start line; append 2 (the first intent) holds the file until the others have queued.
        var faults = new JournalFaults((append, _) =>
        {
            if (append == 2)
            {
                inCommit.Set();
                release.Wait();
            }

            return null;
        });
        using var journal = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System, faults);
        var commitsAfterOpen = journal.Commits;
        var first = Task.Run(() => journal.WriteDecisionsAsync(journal.NextBatch(), [], [Change(0)]));
        inCommit.Wait();

        var queued = Enumerable.Range(1, 20).Select(i => journal.WriteDecisionsAsync(journal.NextBatch(), [], [Change(i)])).ToList();
        Assert.All(queued, t => Assert.False(t.IsCompleted, "an append completes only once its line is on disk"));
        release.Set();
        await first;
        await Task.WhenAll(queued);

        Assert.Equal(commitsAfterOpen + 2, journal.Commits); // the first intent, then the 20 queued behind it in one flush
        var replay = RunJournal.ReadOnly(path);
        Assert.Equal(21, replay.AccountCount);
        Assert.All(Enumerable.Range(0, 21), i => Assert.Equal(Prior, replay.PriorOf(Id(i))));
        Assert.Equal(22, replay.NextBatch);
    }

    [Fact]
    public async Task ManyParallelWriters_EveryLineIsOnDiskWhenItsAppendReturns()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        using var journal = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System);

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var batch = journal.NextBatch();
            await journal.WriteDecisionsAsync(batch, [], [Change(i)]);
            await journal.WriteOutcomeAsync(batch, [new AccountResult(Id(i), i % 10 == 0 ? AccountOutcome.Failed : AccountOutcome.Applied, i % 10 == 0 ? "0x1" : null, i % 10 == 0 ? "refused" : null)]);

            // Read back while the others keep writing: this account's outcome is already durable.
            Assert.NotNull(RunJournal.ReadOnly(path).OutcomeOf(Id(i)));
        });

        var replay = RunJournal.ReadOnly(path);
        Assert.Equal(200, replay.AccountCount);
        Assert.Equal(20, replay.Count(AccountOutcome.Failed));
        Assert.Equal(180, replay.Count(AccountOutcome.Applied));
        Assert.Empty(replay.InDoubt());
        Assert.Equal("refused", replay.ResultOf(Id(10))!.Message);
        Assert.True(journal.Commits <= 401, "never more flushes than lines");
    }

    [Fact]
    public async Task CrashInAGroup_FailsThatAppendAndEveryLaterOne()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        using var journal = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System, new JournalFaults((append, length) => append == 3 ? length / 2 : null));

        await journal.WriteDecisionsAsync(journal.NextBatch(), [], [Change(1)]);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => journal.WriteDecisionsAsync(journal.NextBatch(), [], [Change(2)]));
        await Assert.ThrowsAsync<SimulatedCrashException>(() => journal.WriteDecisionsAsync(journal.NextBatch(), [], [Change(3)]));

        var replay = RunJournal.ReadOnly(path);
        Assert.Equal(2, replay.Lines); // start and the first intent; the torn half line is ignored
        Assert.Equal(1, replay.AccountCount);
    }

    [Fact]
    public async Task LongLines_BeyondTheReadBuffer_Replay_AndATornTailAfterThemIsCutOff()
    {
        using var folder = new TempDirectory();
        var path = RunJournal.PathFor(folder.Path, RunId, "apply");
        using (var journal = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System))
        {
            await journal.WriteDecisionsAsync(journal.NextBatch(), [], Enumerable.Range(0, 1000).Select(Change).ToList()); // one line of about 300 KB
        }

        Assert.True(new FileInfo(path).Length > 128 * 1024);
        File.AppendAllText(path, "{\"kind\":\"outcome\",\"batch\":1,\"results\":[{\"id\":\"");

        using (var reopened = RunJournal.Open(path, RunId, "apply", "plan-1", TimeProvider.System))
        {
            Assert.Equal(2, reopened.Replay.Lines);
            Assert.Equal(1000, reopened.Replay.InDoubt().Count());
        }

        Assert.Equal(3, File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // start, intent, the new start
    }

    private static Guid Id(int i) => Guid.Parse($"10000000-0000-0000-0000-{i:D12}");

    private static AccountChange Change(int i) =>
        new(Id(i), Prior, new AccountState(Guid.Parse("90000000-0000-0000-0000-00000000000a"), null, null, new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero), RunId));
}
