using PartnerGuard.Integration.Journal;

namespace PartnerGuard.Integration.Execution;

/// <summary>
/// Runs a list of account changes in batches, resumably and exactly once, following the journal protocol:
/// read the batch's accounts; decide each (already done, write, skip); journal the decisions that need no write;
/// journal the intent (prior and target state) and flush; send; journal the outcome and flush.
/// Accounts whose outcome the journal already holds are not touched again. Accounts left in doubt by a crash
/// are re-read: if the server already holds the target (with this run's stamp), they count as applied and
/// keep the prior state recorded in their first intent; otherwise they are sent again.
/// Any failure whose outcome is unknown stops the run (exit 4); running it again resumes.
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

    public async Task<RunSummary> RunAsync(string runId, IReadOnlyList<ChangeRequest> requests, CancellationToken cancellationToken)
    {
        var replay = _journal.Replay;
        var pending = requests
            .Where(r => replay.OutcomeOf(r.AccountId) is null or AccountOutcome.InDoubt)
            .ToList();
        var results = new System.Collections.Concurrent.ConcurrentDictionary<Guid, AccountResult>();
        foreach (var request in requests)
        {
            if (replay.ResultOf(request.AccountId) is { Outcome: not AccountOutcome.InDoubt } done)
            {
                results[request.AccountId] = done;
            }
        }

        string? interruption = null;
        try
        {
            var batches = pending.Chunk(_batchSize).ToList();
            await Parallel.ForEachAsync(
                batches,
                new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
                async (batch, token) =>
                {
                    foreach (var result in await RunBatchAsync(batch, token).ConfigureAwait(false))
                    {
                        results[result.AccountId] = result;
                    }

                    _progress?.Report(batch.Length);
                }).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            interruption = error is OperationCanceledException ? "cancelled" : _redact(error.Message);
        }

        if (interruption is null)
        {
            _journal.WriteFinish();
        }

        var ordered = requests
            .Select(r => results.TryGetValue(r.AccountId, out var result)
                ? result
                : new AccountResult(r.AccountId, AccountOutcome.InDoubt, null, "not finished; run the same command again to resume"))
            .ToList();
        return new RunSummary(runId, _kind.Operation, ordered, interruption is not null, interruption);
    }

    private async Task<List<AccountResult>> RunBatchAsync(ChangeRequest[] batch, CancellationToken cancellationToken)
    {
        var current = await _gateway.ReadAsync(batch.Select(r => r.AccountId).ToList(), cancellationToken).ConfigureAwait(false);
        var decided = new List<AccountResult>();
        var writes = new List<AccountChange>();
        foreach (var request in batch)
        {
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
        _journal.WriteOutcome(number, decided);
        if (writes.Count == 0)
        {
            return decided;
        }

        _journal.WriteIntent(number, writes);
        var written = (await _gateway.WriteAsync(writes, cancellationToken).ConfigureAwait(false))
            .Select(r => r.Message is null ? r : r with { Message = _redact(r.Message) })
            .ToList();
        _journal.WriteOutcome(number, written);
        decided.AddRange(written);
        return decided;
    }
}
