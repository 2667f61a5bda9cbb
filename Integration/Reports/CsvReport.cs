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
