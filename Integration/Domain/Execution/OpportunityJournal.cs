using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// The durable, append-only journal of `--attach-open-opportunities` for one run:
/// &lt;journal dir&gt;/&lt;run id&gt;.attach.journal, JSON Lines. Protocol, per batch of deals: an "intent" line
/// (every deal with its account, prior partner = none, target partner) is flushed to disk before the batch is sent,
/// an "outcome" line after its results are known; a "chunk" line when every deal of a chunk of planned accounts is
/// settled. On resume (<see cref="OpportunityJournalReplay"/>): a finished chunk is skipped, deals with an outcome are
/// not touched, deals with only an intent are in doubt (re-read from the server). Replaying keeps only the finished
/// chunks' fingerprints and the deals of unfinished chunks, so memory does not grow with the deals already settled.
/// A torn last line (killed mid-write) is cut off; damage anywhere else stops the run rather than guess.
/// </summary>
internal sealed class OpportunityJournal : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly FileStream _stream;
    private readonly JournalFaults? _faults;
    private int _nextBatch;
    private int _appends;

    private OpportunityJournal(string path, FileStream stream, OpportunityJournalReplay replay, JournalFaults? faults)
    {
        Path = path;
        _stream = stream;
        Replay = replay;
        _faults = faults;
        _nextBatch = replay.NextBatch;
    }

    public string Path { get; }

    /// <summary>What the file held when it was opened.</summary>
    public OpportunityJournalReplay Replay { get; }

    public static string PathFor(string folder, string runId) => System.IO.Path.Combine(folder, $"{runId}.attach.journal");

    /// <summary>
    /// Opens (or creates) the journal, replays it (handing every recorded outcome to <paramref name="recorded"/>, in
    /// file order, so a report can list them without holding them), checks it belongs to <paramref name="runId"/>,
    /// and appends a "start" line.
    /// </summary>
    public static OpportunityJournal Open(string path, string runId, DateTimeOffset now, Action<OpportunityJournalDeal>? recorded = null, JournalFaults? faults = null)
    {
        var stream = JournalFile.OpenForAppend(path, file => (Read(file, path, recorded, out var valid), valid), out var replay);
        try
        {
            if (replay.RunId is not null && replay.RunId != runId)
            {
                throw new JournalException($"The journal '{path}' belongs to run '{replay.RunId}', not '{runId}'.");
            }

            var journal = new OpportunityJournal(path, stream, replay, faults);
            journal.Append(new OpportunityJournalRecord { Kind = OpportunityJournalRecord.Start, Run = runId, At = now });
            return journal;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public int NextBatch() => _nextBatch++;

    /// <summary>Records, durably, the deals of a batch about to be sent (prior partner: none; target partner).</summary>
    public void WriteIntent(int batch, int chunk, IReadOnlyList<OpportunityJournalDeal> deals) =>
        Append(new OpportunityJournalRecord { Kind = OpportunityJournalRecord.Intent, Batch = batch, Chunk = chunk, Deals = [.. deals] });

    /// <summary>Records, durably, the results known for deals of a batch.</summary>
    public void WriteOutcome(int batch, int chunk, IReadOnlyList<OpportunityJournalDeal> results)
    {
        if (results.Count > 0)
        {
            Append(new OpportunityJournalRecord { Kind = OpportunityJournalRecord.Outcome, Batch = batch, Chunk = chunk, Deals = [.. results] });
        }
    }

    /// <summary>Records that every deal of a chunk of planned accounts is settled (the fingerprint names the chunk).</summary>
    public void WriteChunkDone(int chunk, string fingerprint) =>
        Append(new OpportunityJournalRecord { Kind = OpportunityJournalRecord.ChunkDone, Chunk = chunk, Fingerprint = fingerprint });

    private void Append(OpportunityJournalRecord record)
    {
        var line = Utf8.GetBytes(JsonSerializer.Serialize(record, OpportunityJournalJsonContext.Default.OpportunityJournalRecord) + "\n");
        var index = ++_appends;
        if (_faults?.TornWrite(index, line.Length) is { } keep)
        {
            _stream.Write(line, 0, Math.Clamp(keep, 0, line.Length));
            _stream.Flush(flushToDisk: true);
            throw new SimulatedCrashException($"simulated crash while writing attach journal line {index}");
        }

        _stream.Write(line);
        _stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads line by line (<see cref="JournalLines"/>), tracking the length of the intact part.</summary>
    private static OpportunityJournalReplay Read(FileStream stream, string path, Action<OpportunityJournalDeal>? recorded, out long validLength)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var replay = new OpportunityJournalReplay();
        validLength = 0;
        foreach (var (record, end) in JournalLines.Read(stream, path, OpportunityJournalJsonContext.Default.OpportunityJournalRecord, "attach journal", "keep it and investigate"))
        {
            replay.Apply(record, recorded);
            validLength = end;
        }

        return replay;
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>
/// The state an attach journal records: the finished chunks (by index, with the fingerprint of their accounts), the
/// deals of unfinished chunks (intent, and outcome when known), counts of the recorded outcomes, the next batch number.
/// </summary>
internal sealed class OpportunityJournalReplay
{
    private readonly Dictionary<int, string> _doneChunks = new();
    private readonly Dictionary<int, Dictionary<Guid, OpportunityJournalDeal>> _openChunks = new();

    public string? RunId { get; private set; }

    public int NextBatch { get; private set; }

    public int Attached { get; private set; }

    public int Failed { get; private set; }

    public int Lines { get; private set; }

    /// <summary>True when chunk <paramref name="chunk"/> was finished with the same accounts and partners.</summary>
    public bool IsDone(int chunk, string fingerprint) => _doneChunks.TryGetValue(chunk, out var done) && done == fingerprint;

    /// <summary>The recorded deals of an unfinished chunk (intent, with outcome when known), handed over once.</summary>
    public IReadOnlyDictionary<Guid, OpportunityJournalDeal> TakeChunk(int chunk) =>
        _openChunks.Remove(chunk, out var deals) ? deals : new Dictionary<Guid, OpportunityJournalDeal>();

    internal void Apply(OpportunityJournalRecord record, Action<OpportunityJournalDeal>? recorded)
    {
        Lines++;
        switch (record.Kind)
        {
            case OpportunityJournalRecord.Start:
                RunId ??= record.Run;
                break;
            case OpportunityJournalRecord.Intent:
                NextBatch = Math.Max(NextBatch, (record.Batch ?? 0) + 1);
                var chunk = Chunk(record);
                foreach (var deal in record.Deals ?? [])
                {
                    chunk.TryAdd(deal.Id, deal);
                }

                break;
            case OpportunityJournalRecord.Outcome:
                var deals = Chunk(record);
                foreach (var deal in record.Deals ?? [])
                {
                    deals[deal.Id] = deal;
                    if (deal.Outcome == OpportunityJournalDeal.Attached)
                    {
                        Attached++;
                    }
                    else
                    {
                        Failed++;
                    }

                    recorded?.Invoke(deal);
                }

                break;
            case OpportunityJournalRecord.ChunkDone when record.Chunk is { } index && record.Fingerprint is { } fingerprint:
                _doneChunks[index] = fingerprint;
                _openChunks.Remove(index);
                break;
            default:
                throw new JournalException($"The attach journal has a line of unknown kind '{record.Kind}'.");
        }
    }

    private Dictionary<Guid, OpportunityJournalDeal> Chunk(OpportunityJournalRecord record)
    {
        var index = record.Chunk ?? throw new JournalException($"The attach journal has an '{record.Kind}' line without its chunk.");
        if (!_openChunks.TryGetValue(index, out var deals))
        {
            deals = new Dictionary<Guid, OpportunityJournalDeal>();
            _openChunks[index] = deals;
        }

        return deals;
    }
}

/// <summary>One line of the attach journal. Property names are short and stable: journals outlive builds.</summary>
internal sealed class OpportunityJournalRecord
{
    public const string Start = "start";
    public const string Intent = "intent";
    public const string Outcome = "outcome";
    public const string ChunkDone = "chunk";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("run")]
    public string? Run { get; set; }

    [JsonPropertyName("at")]
    public DateTimeOffset? At { get; set; }

    [JsonPropertyName("batch")]
    public int? Batch { get; set; }

    [JsonPropertyName("chunk")]
    public int? Chunk { get; set; }

    [JsonPropertyName("fingerprint")]
    public string? Fingerprint { get; set; }

    [JsonPropertyName("deals")]
    public List<OpportunityJournalDeal>? Deals { get; set; }
}

/// <summary>A deal in an intent (outcome empty) or an outcome line.</summary>
internal sealed class OpportunityJournalDeal
{
    public const string Attached = "attached";
    public const string Failed = "failed";

    [JsonPropertyName("id")]
    public Guid Id { get; set; }

    [JsonPropertyName("account")]
    public Guid Account { get; set; }

    /// <summary>The partner the deal had before: always none, since only deals without a partner are selected.</summary>
    [JsonPropertyName("prior")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public Guid? Prior { get; set; }

    [JsonPropertyName("target")]
    public Guid Target { get; set; }

    [JsonPropertyName("outcome")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; set; }

    [JsonPropertyName("channel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Channel { get; set; }

    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpportunityJournalRecord))]
internal sealed partial class OpportunityJournalJsonContext : JsonSerializerContext;
