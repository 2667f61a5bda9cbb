using System.Threading.Channels;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// Runs a stream of account changes in batches, resumably and exactly once, following the journal protocol:
/// read the batch's accounts; decide each (already done, write, skip); journal the decisions that need no write
/// together with the intent (prior and target state) and wait until both are on disk; send; journal the outcome
/// and wait until it is on disk. Accounts whose outcome the journal already holds are not touched again. Accounts
/// left in doubt by a crash are re-read: if the server already holds the target (with this run's stamp), they count
/// as applied and keep the prior state recorded in their first intent; otherwise they are sent again.
/// Any failure whose outcome is unknown stops the run (exit 4); running it again resumes.
/// <para>
/// Memory is bounded: a producer reads the requests (a plan file, an apply journal) into batches on a bounded
/// channel of <c>parallelism</c> batches, and up to <c>parallelism</c> workers take them; results go to a
/// <see cref="RunTally"/> as each batch finishes, so nothing is kept per account.
/// </para>
/// </summary>
internal sealed class ChangeRunner
{
    private readonly IAccountGateway _gateway;
    private readonly RunJournal _journal;
    private readonly RunKind _kind;
    private readonly int _batchSize;
    private readonly int _parallelism;
    private readonly IProgress<int>? _progress;
    private readonly Func<string, string> _redact;

    /// <param name="redact">Applied to server messages before they are journaled or reported (masks known secrets).</param>
    public ChangeRunner(IAccountGateway gateway, RunJournal journal, RunKind kind, int batchSize, int parallelism, IProgress<int>? progress = null, Func<string, string>? redact = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        _gateway = gateway;
        _journal = journal;
        _kind = kind;
        _batchSize = batchSize;
        _parallelism = parallelism;
        _progress = progress;
        _redact = redact ?? (text => text);
    }

    /// <param name="requests">Read once, lazily, as the workers need batches.</param>
    /// <param name="total">How many requests there are (for the summary's "not finished" count when the run stops early).</param>
    /// <param name="tally">Where results go as they are known (this session's, and earlier sessions' from the journal).</param>
    public async Task<RunSummary> RunAsync(string runId, IEnumerable<ChangeRequest> requests, int total, CancellationToken cancellationToken, RunTally? tally = null)
    {
        tally ??= new RunTally();
        var replay = _journal.Replay;
        bool NeedsWork(ChangeRequest request)
        {
            if (replay.ResultOf(request.AccountId) is { Outcome: not AccountOutcome.InDoubt } done)
            {
                tally.Add(request, done); // recorded by an earlier session: reported, not touched
                return false;
            }

            return true;
        }

        var interruption = await PumpAsync(requests, NeedsWork, _batchSize, _parallelism, async (batch, token) =>
        {
            foreach (var (request, result) in await RunBatchAsync(batch, token).ConfigureAwait(false))
            {
                tally.Add(request, result);
            }

            _progress?.Report(batch.Length);
        }, _redact, cancellationToken).ConfigureAwait(false);

        if (interruption is null)
        {
            try
            {
                await _journal.WriteFinishAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or SimulatedCrashException)
            {
                interruption = _redact(error.Message);
            }
        }

        return tally.Summary(runId, _kind.Operation, total, interruption);
    }

    /// <summary>
    /// A dry run: reads the accounts batch by batch (the same reads as a run) and decides each as the run would,
    /// writing nothing to Dataverse or any journal. <paramref name="decided"/> gets each account's current state (null:
    /// the account no longer exists), the decision and its reason, one at a time. Returns null, or why it stopped.
    /// </summary>
    public static Task<string?> PreviewAsync(
        IAccountGateway gateway,
        RunKind kind,
        IEnumerable<ChangeRequest> requests,
        int batchSize,
        int parallelism,
        Action<ChangeRequest, AccountState?, ChangeDecision, string?> decided,
        Func<string, string> redact,
        CancellationToken cancellationToken)
    {
        var gate = new Lock();
        return PumpAsync(requests, _ => true, batchSize, parallelism, async (batch, token) =>
        {
            var current = await gateway.ReadAsync(batch.Select(r => r.AccountId).ToList(), token).ConfigureAwait(false);
            lock (gate)
            {
                foreach (var request in batch)
                {
                    if (!current.TryGetValue(request.AccountId, out var state))
                    {
                        decided(request, null, ChangeDecision.Skip, "the account no longer exists");
                        continue;
                    }

                    var (decision, reason) = kind.Decide(request, state);
                    decided(request, state, decision, reason);
                }
            }
        }, redact, cancellationToken);
    }

    /// <summary>
    /// The bounded pipeline: one producer enumerates <paramref name="requests"/> into batches of the accounts that
    /// <paramref name="admit"/> lets through, onto a channel holding at most <paramref name="parallelism"/> batches;
    /// up to <paramref name="parallelism"/> workers run <paramref name="body"/>. The first failure (of a worker or of
    /// the producer, e.g. an unreadable plan) stops the others, as does cancellation. Returns null, or why it stopped.
    /// </summary>
    private static async Task<string?> PumpAsync(
        IEnumerable<ChangeRequest> requests,
        Func<ChangeRequest, bool> admit,
        int batchSize,
        int parallelism,
        Func<ChangeRequest[], CancellationToken, Task> body,
        Func<string, string> redact,
        CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ChangeRequest[]>(new BoundedChannelOptions(parallelism) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<ChangeRequest>(batchSize);
                    foreach (var request in requests)
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        if (!admit(request))
                        {
                            continue;
                        }

                        batch.Add(request);
                        if (batch.Count == batchSize)
                        {
                            await channel.Writer.WriteAsync(batch.ToArray(), stop.Token).ConfigureAwait(false);
                            batch.Clear();
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await channel.Writer.WriteAsync(batch.ToArray(), stop.Token).ConfigureAwait(false);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    channel.Writer.Complete(error);
                }
            },
            CancellationToken.None);

        string? interruption = null;
        try
        {
            await Parallel.ForEachAsync(
                channel.Reader.ReadAllAsync(stop.Token),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = stop.Token },
                // A batch once taken runs to its journalled outcome: cancellation (Ctrl+C, SIGTERM) or another
                // worker's failure only stops new batches from being taken (issue #12 defect 2).
                async (batch, _) => await body(batch, CancellationToken.None).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            interruption = error is OperationCanceledException ? "cancelled" : redact(error.Message);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }

        return interruption;
    }

    private async Task<List<(ChangeRequest Request, AccountResult Result)>> RunBatchAsync(ChangeRequest[] batch, CancellationToken cancellationToken)
    {
        var current = await _gateway.ReadAsync(batch.Select(r => r.AccountId).ToList(), cancellationToken).ConfigureAwait(false);
        var results = new List<(ChangeRequest, AccountResult)>(batch.Length);
        var decided = new List<AccountResult>();
        var writes = new List<AccountChange>();
        var byId = new Dictionary<Guid, ChangeRequest>(batch.Length);
        foreach (var request in batch)
        {
            byId[request.AccountId] = request;
            if (!current.TryGetValue(request.AccountId, out var state))
            {
                decided.Add(new AccountResult(request.AccountId, AccountOutcome.Skipped, null, "the account no longer exists"));
                continue;
            }

            var (decision, reason) = _kind.Decide(request, state);
            switch (decision)
            {
                case ChangeDecision.AlreadyDone:
                    decided.Add(new AccountResult(request.AccountId, AccountOutcome.Applied, null, "already in the target state"));
                    break;
                case ChangeDecision.Skip:
                    decided.Add(new AccountResult(request.AccountId, AccountOutcome.Skipped, null, reason));
                    break;
                default:
                    // An in-doubt account keeps the prior state of its first intent: that is what undo restores.
                    writes.Add(new AccountChange(request.AccountId, _journal.Replay.PriorOf(request.AccountId) ?? state, request.Target));
                    break;
            }
        }

        var number = _journal.NextBatch();
        await _journal.WriteDecisionsAsync(number, decided, writes).ConfigureAwait(false);
        results.AddRange(decided.Select(r => (byId[r.AccountId], r)));
        if (writes.Count == 0)
        {
            return results;
        }

        var written = (await _gateway.WriteAsync(writes, cancellationToken).ConfigureAwait(false))
            .Select(r => r.Message is null ? r : r with { Message = _redact(r.Message) })
            .ToList();
        await _journal.WriteOutcomeAsync(number, written).ConfigureAwait(false);
        results.AddRange(written.Select(r => (byId[r.AccountId], r)));
        return results;
    }
}
