using System.Text;
using System.Text.Json;

namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>
/// The durable, append-only journal of one run (one file per run and operation). Protocol:
/// an "intent" line with every account's prior and target state is written and flushed to disk before a batch
/// is sent; an "outcome" line after its result is known. On restart the file is replayed
/// (<see cref="JournalReplay"/>): accounts with an outcome are done, accounts with only an intent are in doubt
/// (re-read them from the server), the rest remain. A torn last line — the process was killed mid-write — is
/// ignored and cut off before appending; damage anywhere else stops the run rather than guess.
/// <para>
/// Group commit: appends from parallel batches queue up; one of them writes every queued line and flushes the
/// file to disk once for all, then each append completes. An append therefore returns only once its line is on
/// disk, as before, but eight batches in parallel cost one flush instead of eight. A failed write or flush breaks
/// the journal: that append and every later one fail, and the run stops (a resumed run re-reads the file).
/// </para>
/// </summary>
internal sealed class RunJournal : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _stream;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly JournalFaults? _faults;
    private List<PendingAppend> _queue = [];
    private bool _committing;
    private Exception? _broken;
    private int _nextBatch;
    private int _appends;
    private long _commits;

    private RunJournal(string path, FileStream stream, JournalReplay replay, TimeProvider time, JournalFaults? faults)
    {
        Path = path;
        _stream = stream;
        Replay = replay;
        _time = time;
        _faults = faults;
        _nextBatch = replay.NextBatch;
    }

    public string Path { get; }

    /// <summary>The state found in the file when it was opened.</summary>
    public JournalReplay Replay { get; }

    /// <summary>The journal file of a run: &lt;folder&gt;/&lt;run id&gt;.&lt;operation&gt;.journal.</summary>
    public static string PathFor(string folder, string runId, string operation) =>
        System.IO.Path.Combine(folder, $"{runId}.{operation}.journal");

    /// <summary>
    /// Opens (or creates) the journal, replays it, and checks that it belongs to this run, operation and plan.
    /// Writes a "start" line, so every session of a run is visible in the file.
    /// </summary>
    public static RunJournal Open(string path, string runId, string operation, string planSha256, TimeProvider time, JournalFaults? faults = null)
    {
        var stream = JournalFile.OpenForAppend(path, file => (ReadAll(file, path, out var valid), valid), out var replay);
        try
        {
            if (replay.RunId is not null && replay.RunId != runId)
            {
                throw new JournalException($"The journal '{path}' belongs to run '{replay.RunId}', not '{runId}'.");
            }

            if (replay.Operation is not null && replay.Operation != operation)
            {
                throw new JournalException($"The journal '{path}' records a '{replay.Operation}' run, not '{operation}'.");
            }

            if (replay.PlanSha256 is not null && replay.PlanSha256 != planSha256)
            {
                throw new JournalException($"Run '{runId}' was started with a different plan (the journal '{path}' has another fingerprint). Resume with the original plan, or give the new plan its own run id.");
            }

            var journal = new RunJournal(path, stream, replay, time, faults);
            journal.AppendAsync([new JournalRecord { Kind = JournalKinds.Start, Run = runId, Operation = operation, PlanSha256 = planSha256, At = time.GetUtcNow() }]).GetAwaiter().GetResult();
            return journal;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads a journal without opening it for writing (undo reads the apply journal this way).</summary>
    public static JournalReplay ReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new JournalException($"No journal at '{path}'.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return ReadAll(stream, path, out _);
    }

    /// <summary>Reserves the next batch number.</summary>
    public int NextBatch() => Interlocked.Increment(ref _nextBatch) - 1;

    /// <summary>How many times the file was flushed to disk for appends (each flush commits one group).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Records, durably, the results known for accounts of a batch.</summary>
    public Task WriteOutcomeAsync(int batch, IReadOnlyList<AccountResult> results) =>
        results.Count == 0 ? Task.CompletedTask : AppendAsync([Outcome(batch, results)]);

    /// <summary>
    /// Records, durably and in one commit, the results decided without a write and the intent of the batch's writes
    /// (in that order); returns once both lines are on disk, so the batch may be sent.
    /// </summary>
    public Task WriteDecisionsAsync(int batch, IReadOnlyList<AccountResult> decided, IReadOnlyList<AccountChange> writes)
    {
        var records = new List<JournalRecord>(2);
        if (decided.Count > 0)
        {
            records.Add(Outcome(batch, decided));
        }

        if (writes.Count > 0)
        {
            records.Add(Intent(batch, writes));
        }

        return records.Count == 0 ? Task.CompletedTask : AppendAsync(records);
    }

    public Task WriteFinishAsync() => AppendAsync([new JournalRecord { Kind = JournalKinds.Finish, At = _time.GetUtcNow() }]);

    private static JournalRecord Intent(int batch, IReadOnlyList<AccountChange> changes) => new()
    {
        Kind = JournalKinds.Intent,
        Batch = batch,
        Changes = changes.Select(c => new JournalChange { Id = c.AccountId, Prior = JournalState.From(c.Prior), Target = JournalState.From(c.Target) }).ToList(),
    };

    private static JournalRecord Outcome(int batch, IReadOnlyList<AccountResult> results) => new()
    {
        Kind = JournalKinds.Outcome,
        Batch = batch,
        Results = results.Select(r => new JournalResult { Id = r.AccountId, Outcome = JournalKinds.Format(r.Outcome), Code = r.Code, Message = r.Message }).ToList(),
    };

    /// <summary>
    /// Queues the lines and completes once they are on disk. The first caller to find no commit under way commits
    /// the queue (its own lines and whatever arrived meanwhile) and keeps committing until the queue is empty; the
    /// others wait for it. Lines keep the order in which they were queued.
    /// </summary>
    private Task AppendAsync(IReadOnlyList<JournalRecord> records)
    {
        var lines = records.Select(r => Utf8.GetBytes(JsonSerializer.Serialize(r, JournalJsonContext.Default.JournalRecord) + "\n")).ToList();
        var pending = new PendingAppend(lines);
        bool lead;
        lock (_lock)
        {
            if (_broken is not null)
            {
                return Task.FromException(Broken(_broken));
            }

            _queue.Add(pending);
            lead = !_committing;
            _committing = true;
        }

        if (lead)
        {
            CommitQueued();
        }

        return pending.Done.Task;
    }

    private void CommitQueued()
    {
        while (true)
        {
            List<PendingAppend> group;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _committing = false;
                    return;
                }

                group = _queue;
                _queue = [];
            }

            Exception? failure = null;
            try
            {
                foreach (var pending in group)
                {
                    foreach (var line in pending.Lines)
                    {
                        var index = Interlocked.Increment(ref _appends);
                        if (_faults?.TornWrite(index, line.Length) is { } keep)
                        {
                            _stream.Write(line, 0, Math.Clamp(keep, 0, line.Length));
                            _stream.Flush(flushToDisk: true);
                            throw new SimulatedCrashException($"simulated crash while writing journal line {index}");
                        }

                        _stream.Write(line);
                    }

                }

                _stream.Flush(flushToDisk: true);
                Interlocked.Increment(ref _commits);
            }
            catch (Exception error) when (error is IOException or SimulatedCrashException or ObjectDisposedException or UnauthorizedAccessException)
            {
                failure = error;
            }

            if (failure is not null)
            {
                // Nothing of this group is known to be durable: fail it all, and refuse every later append.
                List<PendingAppend> rest;
                lock (_lock)
                {
                    _broken = failure;
                    rest = _queue;
                    _queue = [];
                    _committing = false;
                }

                foreach (var pending in group.Concat(rest))
                {
                    pending.Done.TrySetException(pending == group[0] || failure is SimulatedCrashException ? failure : Broken(failure));
                }

                return;
            }

            foreach (var pending in group)
            {
                pending.Done.TrySetResult();
            }
        }
    }

    private static Exception Broken(Exception cause) => cause is SimulatedCrashException crash
        ? new SimulatedCrashException(crash.Message)
        : new IOException($"The journal could not be written ({cause.Message}); the run stops, and running the same command again resumes it.", cause);

    /// <summary>Lines waiting to be committed, and the task their writer awaits.</summary>
    private sealed class PendingAppend(IReadOnlyList<byte[]> lines)
    {
        public IReadOnlyList<byte[]> Lines { get; } = lines;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static JournalReplay ReadAll(FileStream stream, string path, out long validLength)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var replay = new JournalReplay();
        validLength = 0;
        foreach (var (record, end) in JournalLines.Read(stream, path))
        {
            replay.Apply(record);
            validLength = end;
        }

        return replay;
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>Test hook: tear a journal write (keep only some bytes of a line, then "crash").</summary>
internal sealed class JournalFaults
{
    private readonly Func<int, int, int?> _tornWrite;

    /// <param name="tornWrite">Given the append number (1-based, this session) and the line length, the bytes to keep, or null to write whole.</param>
    public JournalFaults(Func<int, int, int?> tornWrite)
    {
        _tornWrite = tornWrite;
    }

    public int? TornWrite(int append, int length) => _tornWrite(append, length);
}

/// <summary>Thrown by test hooks to stand for the process being killed at that point.</summary>
internal sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException(string message)
        : base(message)
    {
    }
}
