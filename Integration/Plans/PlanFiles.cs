using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Plans;

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

    /// <summary>Writes FILE.csv and FILE.json; returns both paths.</summary>
    public static (string CsvPath, string JsonPath) Write(Plan plan, string csvPath)
    {
        var jsonPath = JsonPathFor(csvPath);
        WriteAtomically(csvPath, stream =>
        {
            using var text = new StreamWriter(stream, Utf8, 64 * 1024, leaveOpen: true);
            WriteCsv(plan, text);
        });
        WriteAtomically(jsonPath, stream => WriteJson(plan, stream));
        return (csvPath, jsonPath);
    }

    /// <summary>Reads a plan from .csv or .json; a malformed file throws <see cref="PlanFormatException"/> naming line and field.</summary>
    public static Plan Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new PlanFormatException($"The plan file '{path}' does not exist.");
        }

        var text = File.ReadAllText(path, Utf8);
        var name = Path.GetFileName(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => FromCsv(text, name),
            ".json" => FromJson(text, name),
            _ => throw new PlanFormatException($"The plan file '{name}' must end in .csv or .json."),
        };
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

    public static Plan FromCsv(string text, string name)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length && lines[i].StartsWith('#'); i++)
        {
            var line = lines[i].TrimEnd('\r')[1..].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                meta[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        string Meta(string key) => meta.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new PlanFormatException($"{name}: the '# {key}: …' line at the top of the plan is missing; write plans with 'partnerguard plan'.");

        var runId = Meta(PlanColumns.RunIdMeta);
        Plan.ValidateRunId(runId, $"{name} line 1");
        var createdOn = ParseDate(Meta(PlanColumns.CreatedOnMeta), $"{name}, '# {PlanColumns.CreatedOnMeta}'");
        var strategy = Meta(PlanColumns.StrategyMeta);
        var parameters = ParseParameters(meta.GetValueOrDefault(PlanColumns.ParametersMeta) ?? "{}", $"{name}, '# {PlanColumns.ParametersMeta}'");

        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            CommentPrefix = '#',
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        var rows = new List<PlanRow>();
        var lineOf = new List<long>();
        using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        try
        {
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            if (header.Length == 0)
            {
                throw new PlanFormatException($"{name}: the plan has no header row.");
            }

            foreach (var column in PlanColumns.All)
            {
                if (!header.Contains(column, StringComparer.Ordinal))
                {
                    throw new PlanFormatException($"{name}: the header row has no column '{column}'. Expected: {string.Join(",", PlanColumns.All)}.");
                }
            }

            while (csv.Read())
            {
                var line = csv.LineNumber;
                string Field(string column) => csv.GetString(column) ?? string.Empty;
                string Where(string column) => $"{name} line {line}, field '{column}'";
                rows.Add(new PlanRow(
                    RequiredGuid(Field(PlanColumns.AccountId), Where(PlanColumns.AccountId)),
                    Required(Field(PlanColumns.AccountName), Where(PlanColumns.AccountName)),
                    Optional(Field(PlanColumns.AccountNumber)),
                    Optional(Field(PlanColumns.Country)),
                    OptionalGuid(Field(PlanColumns.CurrentOwnerId), Where(PlanColumns.CurrentOwnerId)),
                    OwnerTable(Field(PlanColumns.CurrentOwnerTable), Where(PlanColumns.CurrentOwnerTable)),
                    OptionalGuid(Field(PlanColumns.PreviousPartnerId), Where(PlanColumns.PreviousPartnerId)),
                    RequiredGuid(Field(PlanColumns.NewPartnerId), Where(PlanColumns.NewPartnerId)),
                    Required(Field(PlanColumns.NewPartnerName), Where(PlanColumns.NewPartnerName)),
                    Required(Field(PlanColumns.Reason), Where(PlanColumns.Reason))));
                lineOf.Add(line);
            }
        }
        catch (CsvFormatException error)
        {
            var line = error.LineNumber > 0 ? $" line {error.LineNumber}" : string.Empty;
            throw new PlanFormatException($"{name}{line}: the CSV is malformed ({FirstLine(error.Message)}).", error);
        }

        var plan = new Plan(runId, createdOn, strategy, parameters, rows);
        Validate(plan, i => $"{name} line {lineOf[i]}");
        return plan;
    }

    public static Plan FromJson(string text, string name)
    {
        PlanDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, PlanJsonContext.Default.PlanDocument);
        }
        catch (JsonException error)
        {
            var line = (error.LineNumber ?? 0) + 1;
            var path = string.IsNullOrEmpty(error.Path) ? string.Empty : $", field '{error.Path}'";
            throw new PlanFormatException($"{name} line {line}{path}: {FirstLine(error.Message)}", error);
        }

        if (document is null)
        {
            throw new PlanFormatException($"{name}: the file holds no plan.");
        }

        Plan.ValidateRunId(document.RunId, $"{name}, field '$.{PlanColumns.RunIdMeta}'");
        var createdOn = ParseDate(document.CreatedOn, $"{name}, field '$.{PlanColumns.CreatedOnMeta}'");
        var rows = new List<PlanRow>();
        for (var i = 0; i < document.Rows.Count; i++)
        {
            var row = document.Rows[i];
            string Where(string field) => $"{name}, field '$.rows[{i}].{field}'";
            rows.Add(new PlanRow(
                RequiredGuid(row.AccountId ?? string.Empty, Where(PlanColumns.AccountId)),
                Required(row.AccountName ?? string.Empty, Where(PlanColumns.AccountName)),
                Optional(row.AccountNumber),
                Optional(row.Country),
                OptionalGuid(row.CurrentOwnerId, Where(PlanColumns.CurrentOwnerId)),
                OwnerTable(row.CurrentOwnerTable, Where(PlanColumns.CurrentOwnerTable)),
                OptionalGuid(row.PreviousPartnerId, Where(PlanColumns.PreviousPartnerId)),
                RequiredGuid(row.NewPartnerId ?? string.Empty, Where(PlanColumns.NewPartnerId)),
                Required(row.NewPartnerName ?? string.Empty, Where(PlanColumns.NewPartnerName)),
                Required(row.Reason ?? string.Empty, Where(PlanColumns.Reason))));
        }

        var plan = new Plan(document.RunId, createdOn, Required(document.Strategy, $"{name}, field '$.{PlanColumns.StrategyMeta}'"), new SortedDictionary<string, string>(document.Parameters, StringComparer.Ordinal), rows);
        Validate(plan, i => $"{name}, rows[{i}]");
        return plan;
    }

    /// <summary>Checks that hold whatever the file format: one row per account, no account assigned to itself.</summary>
    private static void Validate(Plan plan, Func<int, string> where)
    {
        var firstRow = new Dictionary<Guid, int>();
        for (var i = 0; i < plan.Rows.Count; i++)
        {
            var row = plan.Rows[i];
            if (firstRow.TryGetValue(row.AccountId, out var first))
            {
                throw new PlanFormatException($"{where(i)}, field '{PlanColumns.AccountId}': account {FormatGuid(row.AccountId)} is already planned in {where(first)}; a plan moves each account once.");
            }

            firstRow[row.AccountId] = i;
            if (row.NewPartnerId == row.AccountId)
            {
                throw new PlanFormatException($"{where(i)}, field '{PlanColumns.NewPartnerId}': an account cannot be its own partner.");
            }
        }
    }

    private static string Required(string? value, string where) =>
        string.IsNullOrWhiteSpace(value) ? throw new PlanFormatException($"{where}: a value is required.") : value.Trim();

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Guid RequiredGuid(string value, string where) =>
        Guid.TryParse(value.Trim(), out var id) && id != Guid.Empty
            ? id
            : throw new PlanFormatException(value.Trim().Length == 0 ? $"{where}: a value is required." : $"{where}: '{value.Trim()}' is not a record id (GUID).");

    private static Guid? OptionalGuid(string? value, string where) =>
        string.IsNullOrWhiteSpace(value) ? null : RequiredGuid(value, where);

    private static string? OwnerTable(string? value, string where) => Optional(value) switch
    {
        null => null,
        "systemuser" => "systemuser",
        "team" => "team",
        var other => throw new PlanFormatException($"{where}: '{other}' is not an owner table; expected systemuser or team."),
    };

    private static DateTimeOffset ParseDate(string? value, string where) =>
        DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new PlanFormatException($"{where}: '{value}' is not a UTC time such as 2026-11-27T08:00:00Z.");

    private static IReadOnlyDictionary<string, string> ParseParameters(string json, string where)
    {
        try
        {
            var values = JsonSerializer.Deserialize(json, PlanJsonContext.Default.DictionaryStringString) ?? [];
            return new SortedDictionary<string, string>(values, StringComparer.Ordinal);
        }
        catch (JsonException error)
        {
            throw new PlanFormatException($"{where}: not a JSON object of text values ({FirstLine(error.Message)}).", error);
        }
    }

    private static string FormatGuid(Guid? value) => PlanFormat.Guid(value);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Writes to FILE.tmp, flushes it to disk and moves it into place, so a reader never sees half a plan.</summary>
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
