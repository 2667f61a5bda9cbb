using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>A problem in a rules document: where (a JSON path such as <c>$.rules[2].threshold</c>, or line and column) and what.</summary>
internal sealed record RuleProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// The direct sales rules as a JSON document for review in source control: stable order (priority, then name,
/// then id), stable formatting (two-space indent, LF, fixed property order, only the parameters of each
/// rule's kind), kinds and measures by name, countries as ISO 3166-1 alpha-2 codes, dates as yyyy-MM-dd.
/// Reading checks the shape, then runs every rule through <see cref="DirectSalesRuleValidator"/>, the
/// validation the rule plugin applies, and names every problem with its JSON path.
/// </summary>
internal static class RulesDocument
{
    public const string Format = "partnerguard-rules/1";

    private static readonly string[] RuleProperties =
    [
        "id", "name", "kind", "measure", "threshold", "countries", "regions", "accountId", "accountName",
        "includeSubsidiaries", "description", "priority", "effectiveFrom", "effectiveTo", "active",
    ];

    /// <summary>Writes the rules in the document's stable form.</summary>
    public static string Write(IEnumerable<DirectSalesRuleDraft> rules)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteStartArray("rules");
            foreach (var rule in Order(rules))
            {
                WriteRule(json, rule);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Priority, then name (case-insensitive, then exact), then id: the order the policy tries rules in.</summary>
    public static IEnumerable<DirectSalesRuleDraft> Order(IEnumerable<DirectSalesRuleDraft> rules) => rules
        .OrderBy(r => r.Priority ?? int.MaxValue)
        .ThenBy(r => r.Name ?? string.Empty, StringComparer.OrdinalIgnoreCase)
        .ThenBy(r => r.Name ?? string.Empty, StringComparer.Ordinal)
        .ThenBy(r => r.Id);

    /// <summary>
    /// The canonical form of a stored rule: kind and measure by name, countries as codes (names normalised),
    /// dates as days, parameters that do not belong to the kind dropped. Invalid values are kept as stored.
    /// </summary>
    public static DirectSalesRuleDraft Canonical(DirectSalesRuleDraft rule)
    {
        var kind = KindName(rule.Kind);
        var countries = List(rule.Countries).Select(c => CountryNormalizer.TryNormalize(c, out var code) ? code : c).Distinct(StringComparer.Ordinal).ToList();
        return rule with
        {
            Name = rule.Name?.Trim(),
            Kind = kind ?? rule.Kind,
            Measure = MeasureName(rule.Measure) ?? rule.Measure,
            Threshold = rule.Threshold is { } threshold ? threshold / 1.000000000000000000000000000000000m : null,
            Countries = countries.Count == 0 ? null : string.Join(",", countries),
            Regions = List(rule.Regions) is { Count: > 0 } regions ? string.Join(",", regions) : null,
            Description = string.IsNullOrWhiteSpace(rule.Description) ? null : rule.Description.Trim(),
            EffectiveFrom = rule.EffectiveFrom?.Date,
            EffectiveTo = rule.EffectiveTo?.Date,
            IncludeSubsidiaries = kind == nameof(DirectSalesRuleKind.NamedAccount) ? rule.IncludeSubsidiaries ?? false : rule.IncludeSubsidiaries is true ? true : null,
        };
    }

    private static void WriteRule(Utf8JsonWriter json, DirectSalesRuleDraft stored)
    {
        var rule = Canonical(stored);
        json.WriteStartObject();
        if (rule.Id != Guid.Empty)
        {
            json.WriteString("id", rule.Id.ToString("D"));
        }

        json.WriteString("name", rule.Name);
        json.WriteString("kind", rule.Kind);
        if (rule.Measure is not null)
        {
            json.WriteString("measure", rule.Measure);
        }

        if (rule.Threshold is { } threshold)
        {
            json.WriteNumber("threshold", threshold);
        }

        if (rule.Countries is not null)
        {
            json.WriteStartArray("countries");
            foreach (var country in List(rule.Countries))
            {
                json.WriteStringValue(country);
            }

            json.WriteEndArray();
        }

        if (rule.Regions is not null)
        {
            json.WriteStartArray("regions");
            foreach (var region in List(rule.Regions))
            {
                json.WriteStringValue(region);
            }

            json.WriteEndArray();
        }

        if (rule.AccountId is { } account)
        {
            json.WriteString("accountId", account.ToString("D"));
            if (rule.AccountName is not null)
            {
                json.WriteString("accountName", rule.AccountName);
            }
        }

        if (rule.IncludeSubsidiaries is { } subsidiaries)
        {
            json.WriteBoolean("includeSubsidiaries", subsidiaries);
        }

        if (rule.Description is not null)
        {
            json.WriteString("description", rule.Description);
        }

        if (rule.Priority is { } priority)
        {
            json.WriteNumber("priority", priority);
        }

        if (rule.EffectiveFrom is { } from)
        {
            json.WriteString("effectiveFrom", Day(from));
        }

        if (rule.EffectiveTo is { } to)
        {
            json.WriteString("effectiveTo", Day(to));
        }

        json.WriteBoolean("active", rule.IsActive);
        json.WriteEndObject();
    }

    /// <summary>Reads and validates a rules document. Returns the drafts when there is no problem, else every problem found.</summary>
    public static (IReadOnlyList<DirectSalesRuleDraft> Rules, IReadOnlyList<RuleProblem> Problems) Read(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException error)
        {
            var line = (error.LineNumber ?? 0) + 1;
            var column = (error.BytePositionInLine ?? 0) + 1;
            return ([], [new RuleProblem($"line {line}, column {column}", "This is not valid JSON: " + FirstSentence(error.Message))]);
        }

        using (document)
        {
            var problems = new List<RuleProblem>();
            var rules = new List<DirectSalesRuleDraft>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ([], [new RuleProblem("$", $"The document must be a JSON object with a \"rules\" array; found {Describe(root.ValueKind)}.")]);
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("format" or "rules" or "$schema"))
                {
                    problems.Add(new RuleProblem($"$.{property.Name}", "Unknown property; a rules document has \"format\" and \"rules\"."));
                }
            }

            if (!root.TryGetProperty("format", out var format))
            {
                problems.Add(new RuleProblem("$.format", $"Missing: a rules document says what it is with \"format\": \"{Format}\" (as `rules export` writes it)."));
            }
            else if (format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                problems.Add(new RuleProblem("$.format", $"Must be \"{Format}\"; found {format.GetRawText()}."));
            }

            if (!root.TryGetProperty("rules", out var array))
            {
                problems.Add(new RuleProblem("$.rules", "Missing: the list of direct sales rules (an empty list [] means no rules)."));
                return ([], problems);
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new RuleProblem("$.rules", $"Must be an array of rules; found {Describe(array.ValueKind)}."));
                return ([], problems);
            }

            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                var path = $"$.rules[{index}]";
                var draft = ReadRule(element, path, problems);
                if (draft is not null)
                {
                    foreach (var error in DirectSalesRuleValidator.Validate(draft).Errors)
                    {
                        var at = $"{path}.{PropertyOf(error.Field)}";
                        // The document checks country codes itself, entry by entry, with a precise path.
                        if (!problems.Any(p => p.Path.StartsWith(at, StringComparison.Ordinal)))
                        {
                            problems.Add(new RuleProblem(at, error.Message));
                        }
                    }

                    rules.Add(draft);
                }
                else
                {
                    rules.Add(new DirectSalesRuleDraft());
                }

                index++;
            }

            CheckUnique(rules, problems);
            return problems.Count == 0 ? (rules, []) : ([], problems);
        }
    }

    /// <summary>The document property a validator field maps to.</summary>
    public static string PropertyOf(DirectSalesRuleField field) => field switch
    {
        DirectSalesRuleField.Name => "name",
        DirectSalesRuleField.Kind => "kind",
        DirectSalesRuleField.Measure => "measure",
        DirectSalesRuleField.Threshold => "threshold",
        DirectSalesRuleField.Countries => "countries",
        DirectSalesRuleField.Regions => "regions",
        DirectSalesRuleField.Account => "accountId",
        DirectSalesRuleField.IncludeSubsidiaries => "includeSubsidiaries",
        DirectSalesRuleField.Description => "description",
        DirectSalesRuleField.Priority => "priority",
        DirectSalesRuleField.EffectiveFrom => "effectiveFrom",
        _ => "effectiveTo",
    };

    private static DirectSalesRuleDraft? ReadRule(JsonElement element, string path, List<RuleProblem> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new RuleProblem(path, $"Each rule must be a JSON object; found {Describe(element.ValueKind)}."));
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!RuleProperties.Contains(property.Name, StringComparer.Ordinal))
            {
                problems.Add(new RuleProblem($"{path}.{property.Name}", $"Unknown property; a rule has {string.Join(", ", RuleProperties)}."));
            }
        }

        var draft = new DirectSalesRuleDraft
        {
            Id = ReadGuid(element, "id", path, problems) ?? Guid.Empty,
            Name = String(element, "name", path, problems),
            Kind = Name(element, "kind", path, problems, Enum.GetNames<DirectSalesRuleKind>()),
            Measure = Name(element, "measure", path, problems, Enum.GetNames<SizeMeasure>()),
            Threshold = Number(element, "threshold", path, problems),
            Countries = Countries(element, path, problems),
            Regions = Strings(element, "regions", path, problems) is { Count: > 0 } regions ? string.Join(",", regions) : null,
            AccountId = ReadGuid(element, "accountId", path, problems),
            AccountName = String(element, "accountName", path, problems),
            IncludeSubsidiaries = Bool(element, "includeSubsidiaries", path, problems),
            Description = String(element, "description", path, problems),
            Priority = Integer(element, "priority", path, problems),
            EffectiveFrom = Date(element, "effectiveFrom", path, problems),
            EffectiveTo = Date(element, "effectiveTo", path, problems),
            IsActive = Bool(element, "active", path, problems) ?? true,
        };
        return draft;
    }

    private static void CheckUnique(List<DirectSalesRuleDraft> rules, List<RuleProblem> problems)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ids = new Dictionary<Guid, int>();
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Name?.Trim() is { Length: > 0 } name)
            {
                if (names.TryGetValue(name, out var first))
                {
                    problems.Add(new RuleProblem($"$.rules[{i}].name", $"The name '{name}' is already used by $.rules[{first}]; rule names must be unique (case-insensitive)."));
                }
                else
                {
                    names[name] = i;
                }
            }

            if (rules[i].Id != Guid.Empty)
            {
                if (ids.TryGetValue(rules[i].Id, out var first))
                {
                    problems.Add(new RuleProblem($"$.rules[{i}].id", $"The id {rules[i].Id:D} is already used by $.rules[{first}]."));
                }
                else
                {
                    ids[rules[i].Id] = i;
                }
            }
        }
    }

    private static bool Present(JsonElement rule, string name, out JsonElement value) =>
        rule.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? String(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        if (!Present(rule, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be a string; found {Describe(value.ValueKind)} {value.GetRawText()}."));
            return null;
        }

        return value.GetString();
    }

    private static string? Name(JsonElement rule, string name, string path, List<RuleProblem> problems, string[] allowed)
    {
        if (Present(rule, name, out var value) && value.ValueKind == JsonValueKind.Number)
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Give the {name} by name ({string.Join(", ", allowed)}), not as an option value ({value.GetRawText()})."));
            return null;
        }

        var text = String(rule, name, path, problems);
        if (text is not null && !allowed.Contains(text.Trim(), StringComparer.Ordinal))
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Unknown {name} '{text}'; use one of {string.Join(", ", allowed)}."));
            return null;
        }

        return text;
    }

    private static decimal? Number(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        if (!Present(rule, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be a number; found {Describe(value.ValueKind)} {value.GetRawText()}."));
            return null;
        }

        return number;
    }

    private static int? Integer(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        if (!Present(rule, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be a whole number; found {value.GetRawText()}."));
            return null;
        }

        return number;
    }

    private static bool? Bool(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        if (!Present(rule, name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be true or false; found {value.GetRawText()}."));
            return null;
        }

        return value.GetBoolean();
    }

    private static Guid? ReadGuid(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        var text = String(rule, name, path, problems);
        if (text is null)
        {
            return null;
        }

        if (!Guid.TryParse(text, out var id) || id == Guid.Empty)
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301; found '{text}'."));
            return null;
        }

        return id;
    }

    private static DateTime? Date(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        var text = String(rule, name, path, problems);
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be a date written yyyy-MM-dd; found '{text}'."));
            return null;
        }

        return DateTime.SpecifyKind(day, DateTimeKind.Utc);
    }

    private static List<string>? Strings(JsonElement rule, string name, string path, List<RuleProblem> problems)
    {
        if (!Present(rule, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add(new RuleProblem($"{path}.{name}", $"Must be an array of strings, e.g. [\"DE\", \"AT\"]; found {value.GetRawText()}."));
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var entry in value.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.GetString()))
            {
                problems.Add(new RuleProblem($"{path}.{name}[{i}]", $"Must be a non-empty string; found {entry.GetRawText()}."));
            }
            else
            {
                list.Add(entry.GetString()!.Trim());
            }

            i++;
        }

        return list;
    }

    private static string? Countries(JsonElement rule, string path, List<RuleProblem> problems)
    {
        var list = Strings(rule, "countries", path, problems);
        if (list is null || list.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (!CountryNormalizer.IsKnownCode(list[i]) || list[i] != list[i].ToUpperInvariant())
            {
                var hint = CountryNormalizer.TryNormalize(list[i], out var code) ? $" Did you mean \"{code}\"?" : string.Empty;
                problems.Add(new RuleProblem($"{path}.countries[{i}]", $"'{list[i]}' is not an ISO 3166-1 alpha-2 country code (two capital letters such as \"DE\").{hint}"));
            }
        }

        return string.Join(",", list);
    }

    private static string? KindName(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined(typeof(DirectSalesRuleKind), n) ? ((DirectSalesRuleKind)n).ToString()
        : Enum.GetNames<DirectSalesRuleKind>().FirstOrDefault(k => string.Equals(k, value.Replace(" ", string.Empty), StringComparison.OrdinalIgnoreCase));

    private static string? MeasureName(string? value) =>
        value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && Enum.IsDefined(typeof(SizeMeasure), n) ? ((SizeMeasure)n).ToString()
        : Enum.GetNames<SizeMeasure>().FirstOrDefault(k => string.Equals(k, value.Replace(" ", string.Empty), StringComparison.OrdinalIgnoreCase));

    public static List<string> List(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', ';', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
