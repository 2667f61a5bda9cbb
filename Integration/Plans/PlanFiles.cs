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
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The JSON file written beside a CSV plan: same name, extension .json.</summary>
    public static string JsonPathFor(string csvPath) => Path.ChangeExtension(csvPath, ".json");

    /// <summary>Writes FILE.csv and FILE.json; returns both paths.</summary>
    public static (string CsvPath, string JsonPath) Write(Plan plan, string csvPath)
    {
        var jsonPath = JsonPathFor(csvPath);
        WriteAtomically(csvPath, ToCsv(plan));
        WriteAtomically(jsonPath, ToJson(plan));
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
        var options = new CsvWriterOptions { NewLine = "\r\n", CommentPrefix = '#', FormatProvider = CultureInfo.InvariantCulture };
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true))
        {
            csv.WriteComment($" {PlanColumns.RunIdMeta}: {plan.RunId}");
            csv.WriteComment($" {PlanColumns.CreatedOnMeta}: {FormatDate(plan.CreatedOn)}");
            csv.WriteComment($" {PlanColumns.StrategyMeta}: {plan.Strategy}");
            csv.WriteComment($" {PlanColumns.ParametersMeta}: {ParametersJson(plan.Parameters)}");
            csv.WriteHeader(PlanColumns.All);
            foreach (var row in plan.Rows)
            {
                csv.WriteRecord(
                [
                    FormatGuid(row.AccountId),
                    row.AccountName,
                    row.AccountNumber ?? string.Empty,
                    row.Country ?? string.Empty,
                    FormatGuid(row.CurrentOwnerId),
                    row.CurrentOwnerTable ?? string.Empty,
                    FormatGuid(row.PreviousPartnerId),
                    FormatGuid(row.NewPartnerId),
                    row.NewPartnerName,
                    row.Reason,
                ]);
            }

            csv.Flush();
        }

        return text.ToString();
    }

    public static string ToJson(Plan plan)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteString(PlanColumns.RunIdMeta, plan.RunId);
            json.WriteString(PlanColumns.CreatedOnMeta, FormatDate(plan.CreatedOn));
            json.WriteString(PlanColumns.StrategyMeta, plan.Strategy);
            json.WriteStartObject(PlanColumns.ParametersMeta);
            foreach (var (key, value) in plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("rows");
            foreach (var row in plan.Rows)
            {
                json.WriteStartObject();
                json.WriteString(PlanColumns.AccountId, FormatGuid(row.AccountId));
                json.WriteString(PlanColumns.AccountName, row.AccountName);
                WriteNullable(json, PlanColumns.AccountNumber, row.AccountNumber);
                WriteNullable(json, PlanColumns.Country, row.Country);
                WriteNullable(json, PlanColumns.CurrentOwnerId, row.CurrentOwnerId is null ? null : FormatGuid(row.CurrentOwnerId));
                WriteNullable(json, PlanColumns.CurrentOwnerTable, row.CurrentOwnerTable);
                WriteNullable(json, PlanColumns.PreviousPartnerId, row.PreviousPartnerId is null ? null : FormatGuid(row.PreviousPartnerId));
                json.WriteString(PlanColumns.NewPartnerId, FormatGuid(row.NewPartnerId));
                json.WriteString(PlanColumns.NewPartnerName, row.NewPartnerName);
                json.WriteString(PlanColumns.Reason, row.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Utf8.GetString(buffer.ToArray()) + "\n";
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

    private static string ParametersJson(IReadOnlyDictionary<string, string> parameters)
    {
        var sorted = new SortedDictionary<string, string>(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted, PlanJsonContext.Default.SortedDictionaryStringString);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string FormatDate(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string FormatGuid(Guid? value) => value?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static void WriteAtomically(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, content, Utf8);
        File.Move(temporary, full, overwrite: true);
    }
}
