using System.Globalization;
using System.Text;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// Writes a plan as CSV (for review) with the same plan as JSON beside it, and reads either back.
/// Files are written whole to a temporary name and then moved into place, so a reader never sees half a plan.
/// Output is byte-for-byte deterministic: fixed column and property order, invariant culture, UTF-8 without BOM,
/// CRLF in CSV (RFC 4180) and LF in JSON.
/// </summary>
internal static class PlanFiles
{
    private static readonly UTF8Encoding Utf8 = PlanFormat.Utf8;

    /// <summary>The JSON file written beside a CSV plan: same name, extension .json.</summary>
    public static string JsonPathFor(string csvPath) => Path.ChangeExtension(csvPath, ".json");

    /// <summary>Writes FILE.csv and FILE.json (each to a temporary name, then moved into place); returns both full paths.</summary>
    public static (string CsvPath, string JsonPath) Write(Plan plan, string csvPath)
    {
        using var sink = new PlanFileSink(csvPath, plan.Header);
        foreach (var row in plan.Rows)
        {
            sink.Write(row);
        }

        sink.Commit();
        return (sink.CsvPath, sink.JsonPath);
    }

    /// <summary>
    /// Reads a whole plan from .csv or .json into memory, for callers that need every row at once (tests, the
    /// benchmark's naive updater); `apply` streams with <see cref="PlanReader"/> instead. A malformed file throws
    /// <see cref="PlanFormatException"/> naming line and field.
    /// </summary>
    public static Plan Read(string path)
    {
        using var reader = PlanReader.Open(path);
        var rows = reader.ReadRows(checkDuplicates: true).ToList();
        return new Plan(reader.Header.RunId, reader.Header.CreatedOn, reader.Header.Strategy, reader.Header.Parameters, rows);
    }

    public static string ToCsv(Plan plan)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(plan, text);
        return text.ToString();
    }

    public static string ToJson(Plan plan)
    {
        using var buffer = new MemoryStream();
        WriteJson(plan, buffer);
        return Utf8.GetString(buffer.ToArray());
    }

    private static void WriteCsv(Plan plan, TextWriter text)
    {
        using var csv = new PlanCsvWriter(text, plan.Header);
        foreach (var row in plan.Rows)
        {
            csv.Write(row);
        }

        csv.Complete();
    }

    private static void WriteJson(Plan plan, Stream stream)
    {
        using var json = new PlanJsonWriter(stream, plan.Header);
        foreach (var row in plan.Rows)
        {
            json.Write(row);
        }

        json.Complete();
    }
}
