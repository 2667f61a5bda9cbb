using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>What a plan says about itself before its rows: the run, when it was made, how.</summary>
internal sealed record PlanHeader(
    string RunId,
    DateTimeOffset CreatedOn,
    string Strategy,
    IReadOnlyDictionary<string, string> Parameters);

/// <summary>
/// Writes a plan as CSV one row at a time, so a plan of any size is written without holding it: the header as
/// '# key: value' comment lines, the column row, then one record per account. Invariant culture, CRLF (RFC 4180).
/// </summary>
internal sealed class PlanCsvWriter : IDisposable
{
    private readonly CsvWriter _csv;

    public PlanCsvWriter(TextWriter text, PlanHeader header)
    {
        var options = new CsvWriterOptions { NewLine = "\r\n", CommentPrefix = '#', FormatProvider = CultureInfo.InvariantCulture };
        _csv = CsvWriter.Create(text, options, leaveOpen: true);
        _csv.WriteComment($" {PlanColumns.RunIdMeta}: {header.RunId}");
        _csv.WriteComment($" {PlanColumns.CreatedOnMeta}: {PlanFormat.Date(header.CreatedOn)}");
        _csv.WriteComment($" {PlanColumns.StrategyMeta}: {header.Strategy}");
        _csv.WriteComment($" {PlanColumns.ParametersMeta}: {PlanFormat.ParametersJson(header.Parameters)}");
        _csv.WriteHeader(PlanColumns.All);
    }

    public void Write(PlanRow row) => _csv.WriteRecord(
    [
        PlanFormat.Guid(row.AccountId),
        row.AccountName,
        row.AccountNumber ?? string.Empty,
        row.Country ?? string.Empty,
        PlanFormat.Guid(row.CurrentOwnerId),
        row.CurrentOwnerTable ?? string.Empty,
        PlanFormat.Guid(row.PreviousPartnerId),
        PlanFormat.Guid(row.NewPartnerId),
        row.NewPartnerName,
        row.Reason,
    ]);

    /// <summary>Writes out what is buffered; call once after the last row.</summary>
    public void Complete() => _csv.Flush();

    public void Dispose() => _csv.Dispose();
}

/// <summary>
/// Writes a plan as JSON one row at a time: an object with run_id, created_on, strategy, parameters (sorted) and a
/// rows array; indented, LF, UTF-8 without BOM, a final newline. The same writer produces the plan's fingerprint
/// (SHA-256 of these bytes), so a plan read from CSV and from JSON has one fingerprint.
/// </summary>
internal sealed class PlanJsonWriter : IDisposable
{
    private static readonly byte[] FinalNewLine = "\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _json;
    private bool _completed;

    public PlanJsonWriter(Stream stream, PlanHeader header)
    {
        _stream = stream;
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        _json = new Utf8JsonWriter(stream, options);
        _json.WriteStartObject();
        _json.WriteString(PlanColumns.RunIdMeta, header.RunId);
        _json.WriteString(PlanColumns.CreatedOnMeta, PlanFormat.Date(header.CreatedOn));
        _json.WriteString(PlanColumns.StrategyMeta, header.Strategy);
        _json.WriteStartObject(PlanColumns.ParametersMeta);
        foreach (var (key, value) in header.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            _json.WriteString(key, value);
        }

        _json.WriteEndObject();
        _json.WriteStartArray("rows");
    }

    public void Write(PlanRow row)
    {
        _json.WriteStartObject();
        _json.WriteString(PlanColumns.AccountId, PlanFormat.Guid(row.AccountId));
        _json.WriteString(PlanColumns.AccountName, row.AccountName);
        WriteNullable(PlanColumns.AccountNumber, row.AccountNumber);
        WriteNullable(PlanColumns.Country, row.Country);
        WriteNullable(PlanColumns.CurrentOwnerId, row.CurrentOwnerId is null ? null : PlanFormat.Guid(row.CurrentOwnerId));
        WriteNullable(PlanColumns.CurrentOwnerTable, row.CurrentOwnerTable);
        WriteNullable(PlanColumns.PreviousPartnerId, row.PreviousPartnerId is null ? null : PlanFormat.Guid(row.PreviousPartnerId));
        _json.WriteString(PlanColumns.NewPartnerId, PlanFormat.Guid(row.NewPartnerId));
        _json.WriteString(PlanColumns.NewPartnerName, row.NewPartnerName);
        _json.WriteString(PlanColumns.Reason, row.Reason);
        _json.WriteEndObject();
        if (_json.BytesPending > 64 * 1024)
        {
            _json.Flush(); // keep the writer's buffer small: rows go to the stream as they come
        }
    }

    /// <summary>Closes the rows array and the object and writes the final newline; call once after the last row.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        _stream.Write(FinalNewLine);
    }

    public void Dispose() => _json.Dispose();

    private void WriteNullable(string name, string? value)
    {
        if (value is null)
        {
            _json.WriteNull(name);
        }
        else
        {
            _json.WriteString(name, value);
        }
    }
}

/// <summary>The plan's fingerprint, computed row by row: SHA-256 of its JSON form (<see cref="PlanJsonWriter"/>).</summary>
internal sealed class PlanFingerprint : IDisposable
{
    private readonly HashingStream _hash = new();
    private readonly PlanJsonWriter _json;

    public PlanFingerprint(PlanHeader header) => _json = new PlanJsonWriter(_hash, header);

    public void Add(PlanRow row) => _json.Write(row);

    /// <summary>The lower-case hex SHA-256 of the plan's JSON; call once after the last row.</summary>
    public string Complete()
    {
        _json.Complete();
        return Convert.ToHexStringLower(_hash.Hash.GetHashAndReset());
    }

    public void Dispose()
    {
        _json.Dispose();
        _hash.Dispose();
    }

    /// <summary>A write-only stream that hashes what is written to it and keeps nothing.</summary>
    private sealed class HashingStream : Stream
    {
        public System.Security.Cryptography.IncrementalHash Hash { get; } = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => Hash.AppendData(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>How plan files spell values: shared by the writers and the readers.</summary>
internal static class PlanFormat
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Date(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Guid(Guid? value) => value?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string ParametersJson(IReadOnlyDictionary<string, string> parameters)
    {
        var sorted = new SortedDictionary<string, string>(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted, PlanJsonContext.Default.SortedDictionaryStringString);
    }
}
