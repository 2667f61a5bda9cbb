using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

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
