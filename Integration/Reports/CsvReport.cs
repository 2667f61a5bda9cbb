using System.Globalization;
using CsvHelper;

namespace PartnerGuard.Integration.Reports;

/// <summary>Writes one table of a report as CSV (RFC 4180 quoting, invariant culture, header row, CRLF as the plan does).</summary>
internal static class CsvReport
{
    public static string Write(string folder, string fileName, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var path = Path.Combine(folder, fileName);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        var options = new CsvWriterOptions { NewLine = "\r\n", FormatProvider = CultureInfo.InvariantCulture };
        using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
        {
            csv.WriteHeader(header.ToArray());
            foreach (var row in rows)
            {
                csv.WriteRecord(row.Select(Text).ToArray());
            }
        }

        return path;
    }

    /// <summary>
    /// Opens a CSV for writing row by row (reports of any size, written as results come): a header row, then
    /// <see cref="CsvReportWriter.Write"/> per row. Cells that a spreadsheet would run as formulas are escaped.
    /// </summary>
    public static CsvReportWriter Open(string path, IReadOnlyList<string> header) => new(path, header);

    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTime date => date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        Guid id => id.ToString("D"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>A CSV report written one row at a time (see <see cref="CsvReport.Open"/>); dispose to close it.</summary>
internal sealed class CsvReportWriter : IDisposable
{
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;

    public CsvReportWriter(string path, IReadOnlyList<string> header)
    {
        _text = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 64 * 1024);
        _csv = CsvWriter.Create(_text, new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        _csv.WriteHeader(header.ToArray());
        Path = path;
    }

    public string Path { get; }

    public void Write(params string[] cells) => _csv.WriteRecord(cells);

    public void Dispose()
    {
        _csv.Flush();
        _csv.Dispose();
        _text.Dispose();
    }
}
