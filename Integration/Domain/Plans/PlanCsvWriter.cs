using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// Writes a plan as CSV one row at a time, so a plan of any size is written without holding it: the header as
/// '# key: value' comment lines, the column row, then one record per account, then '# end: N rows' (the reader refuses
/// a plan whose last line is not that, so a file cut short is never applied). Invariant culture, CRLF (RFC 4180).
/// </summary>
internal sealed class PlanCsvWriter : IDisposable
{
    private readonly CsvWriter _csv;
    private int _rows;

    public PlanCsvWriter(TextWriter text, PlanHeader header)
    {
        var options = new CsvWriterOptions { NewLine = "\r\n", CommentPrefix = '#', FormatProvider = CultureInfo.InvariantCulture };
        _csv = CsvWriter.Create(text, options, leaveOpen: true);
        _csv.WriteComment($" {PlanColumns.RunIdMeta}: {header.RunId}");
        _csv.WriteComment($" {PlanColumns.CreatedOnMeta}: {PlanFormat.Date(header.CreatedOn)}");
        _csv.WriteComment($" {PlanColumns.StrategyMeta}: {header.Strategy}");
        _csv.WriteComment($" {PlanColumns.ParametersMeta}: {PlanFormat.ParametersJson(header.Parameters)}");
        _csv.WriteComment($" {PlanColumns.FormatMeta}: {PlanColumns.Format}");
        _csv.WriteHeader(PlanColumns.All);
    }

    public void Write(PlanRow row)
    {
        _rows++;
        WriteRecord(row);
    }

    /// <summary>Writes the end line and what is buffered; call once after the last row.</summary>
    public void Complete()
    {
        _csv.WriteComment($" {PlanColumns.EndMeta}: {_rows.ToString(CultureInfo.InvariantCulture)} rows");
        _csv.Flush();
    }

    public void Dispose() => _csv.Dispose();

    private void WriteRecord(PlanRow row) => _csv.WriteRecord(
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
}
