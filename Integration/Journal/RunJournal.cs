using System.Text;
using System.Text.Json;

namespace PartnerGuard.Integration.Journal;

/// <summary>
/// The durable, append-only journal of one run (one file per run and operation). Protocol:
/// an "intent" line with every account's prior and target state is written and flushed to disk before a batch
/// is sent; an "outcome" line after its result is known. On restart the file is replayed
/// (<see cref="JournalReplay"/>): accounts with an outcome are done, accounts with only an intent are in doubt
/// (re-read them from the server), the rest remain. A torn last line — the process was killed mid-write — is
/// ignored and cut off before appending; damage anywhere else stops the run rather than guess.
/// </summary>
internal sealed class RunJournal : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _stream;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly JournalFaults? _faults;
    private int _nextBatch;
    private int _appends;

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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        try
        {
            var replay = ReadAll(stream, path, out var validLength);
            if (validLength < stream.Length)
            {
                stream.SetLength(validLength); // cut the torn tail so the next line starts clean
            }

            stream.Seek(0, SeekOrigin.End);
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
            journal.Append(new JournalRecord { Kind = JournalKinds.Start, Run = runId, Operation = operation, PlanSha256 = planSha256, At = time.GetUtcNow() });
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

    /// <summary>Records, durably, that a batch is about to be sent: every account's prior and target state.</summary>
    public void WriteIntent(int batch, IReadOnlyList<AccountChange> changes) => Append(new JournalRecord
    {
        Kind = JournalKinds.Intent,
        Batch = batch,
        Changes = changes.Select(c => new JournalChange { Id = c.AccountId, Prior = JournalState.From(c.Prior), Target = JournalState.From(c.Target) }).ToList(),
    });

    /// <summary>Records, durably, the results known for accounts of a batch.</summary>
    public void WriteOutcome(int batch, IReadOnlyList<AccountResult> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        Append(new JournalRecord
        {
            Kind = JournalKinds.Outcome,
            Batch = batch,
            Results = results.Select(r => new JournalResult { Id = r.AccountId, Outcome = JournalKinds.Format(r.Outcome), Code = r.Code, Message = r.Message }).ToList(),
        });
    }

    public void WriteFinish() => Append(new JournalRecord { Kind = JournalKinds.Finish, At = _time.GetUtcNow() });

    private void Append(JournalRecord record)
    {
        var line = Utf8.GetBytes(JsonSerializer.Serialize(record, JournalJsonContext.Default.JournalRecord) + "\n");
        lock (_lock)
        {
            var index = ++_appends;
            if (_faults?.TornWrite(index, line.Length) is { } keep)
            {
                _stream.Write(line, 0, Math.Clamp(keep, 0, line.Length));
                _stream.Flush(flushToDisk: true);
                throw new SimulatedCrashException($"simulated crash while writing journal line {index}");
            }

            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
        }
    }

    private static JournalReplay ReadAll(FileStream stream, string path, out long validLength)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var replay = new JournalReplay();
        validLength = 0;
        var start = 0;
        var lineNumber = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            lineNumber++;
            var isLast = end < 0 || IsBlankTail(bytes, end + 1);
            if (end < 0)
            {
                break; // torn: the newline never made it to disk
            }

            JournalRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(bytes.AsSpan(start, end - start), JournalJsonContext.Default.JournalRecord);
            }
            catch (JsonException) when (isLast)
            {
                break; // torn final line (e.g. zero-filled after a crash): treat it as never written
            }
            catch (JsonException error)
            {
                throw new JournalException($"The journal '{path}' is damaged at line {lineNumber} ({error.Message.Split('\n')[0]}). It cannot be resumed safely; keep it for undo and investigate.");
            }

            if (record is null)
            {
                throw new JournalException($"The journal '{path}' is damaged at line {lineNumber} (empty record).");
            }

            replay.Apply(record);
            start = end + 1;
            validLength = start;
        }

        return replay;
    }

    private static bool IsBlankTail(byte[] bytes, int from)
    {
        for (var i = from; i < bytes.Length; i++)
        {
            if (bytes[i] is not (0 or (byte)'\n' or (byte)'\r' or (byte)' '))
            {
                return false;
            }
        }

        return true;
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
