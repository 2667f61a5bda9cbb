using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// Writes rows as Dataverse's Web API does: <c>@odata.etag</c> (<c>W/"versionnumber"</c>), primitive values in
/// OData JSON form, lookups as <c>_x_value</c> with the formatted value, navigation property and target table as
/// annotations when the client asked for them ("Formatted values" and "Lookup property data" in
/// learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns).
/// </summary>
internal sealed class EntityJsonWriter
{
    private static readonly CultureInfo Display = CultureInfo.GetCultureInfo("en-US");
    private readonly DataverseOrg _org;
    private readonly Prefer _prefer;
    private readonly Dictionary<Guid, string> _currencySymbols = new();
    private IReadOnlyList<string>? _lastSelected;
    private WebApiTable? _lastSelectedTable;
    private string[]? _lastSelectedNames;

    public EntityJsonWriter(DataverseOrg org, Prefer prefer)
    {
        _org = org;
        _prefer = prefer;
    }

    /// <summary>Writes one row. <paramref name="selected"/> null: every column of the table, nulls included.</summary>
    public void Write(Utf8JsonWriter w, WebApiTable table, Entity entity, IReadOnlyList<string>? selected, bool omitNulls = false)
    {
        w.WriteStartObject();
        WriteProperties(w, table, entity, selected, omitNulls);
        w.WriteEndObject();
    }

    public void WriteProperties(Utf8JsonWriter w, WebApiTable table, Entity entity, IReadOnlyList<string>? selected, bool omitNulls)
    {
        if (!string.IsNullOrEmpty(entity.RowVersion))
        {
            w.WriteString("@odata.etag", Etag(entity.RowVersion));
        }

        IEnumerable<string> names;
        if (selected is null)
        {
            names = omitNulls
                ? entity.Attributes.Keys.Select(k => table.Table.FindColumn(k)).Where(c => c is not null).Select(c => PropertyName(c!))
                : table.Table.Columns.Select(PropertyName);
        }
        else
        {
            // The same selection is written for every row of a response: work its names out once.
            if (!ReferenceEquals(selected, _lastSelected) || !ReferenceEquals(table, _lastSelectedTable))
            {
                _lastSelectedNames = selected.Append(table.Table.PrimaryIdColumn).Distinct(StringComparer.Ordinal).ToArray();
                _lastSelected = selected;
                _lastSelectedTable = table;
            }

            names = _lastSelectedNames!;
        }

        foreach (var name in names)
        {
            if (!table.Properties.TryGetValue(name, out var column))
            {
                continue;
            }

            entity.Attributes.TryGetValue(column.LogicalName, out var value);
            if (column.Type == ColumnType.PrimaryKey && value is null && column.LogicalName == table.Table.PrimaryIdColumn)
            {
                value = entity.Id;
            }

            if (value is null && omitNulls)
            {
                continue;
            }

            WriteValue(w, name, column, value, entity);
        }

        // Columns from link-entities in FetchXML results come back as alias.column.
        foreach (var pair in entity.Attributes)
        {
            if (pair.Value is AliasedValue aliased)
            {
                WriteAliased(w, pair.Key, aliased, entity);
            }
        }
    }

    public static string Etag(string rowVersion) => $"W/\"{rowVersion}\"";

    public static string PropertyName(ColumnMetadata column) => column.IsLookup ? $"_{column.LogicalName}_value" : column.LogicalName;

    private void WriteValue(Utf8JsonWriter w, string name, ColumnMetadata column, object? value, Entity entity)
    {
        if (value is EntityReference reference)
        {
            if (_prefer.Includes(Prefer.FormattedValue) && reference.Name is not null)
            {
                w.WriteString($"{name}@{Prefer.FormattedValue}", reference.Name);
            }

            if (_prefer.Includes(Prefer.AssociatedNavigationProperty))
            {
                w.WriteString($"{name}@{Prefer.AssociatedNavigationProperty}", WebApiModel.NavigationNameFor(column, reference.LogicalName));
            }

            if (_prefer.Includes(Prefer.LookupLogicalName))
            {
                w.WriteString($"{name}@{Prefer.LookupLogicalName}", reference.LogicalName);
            }

            w.WriteString(name, reference.Id);
            return;
        }

        if (value is not null && _prefer.Includes(Prefer.FormattedValue) && Formatted(column, value, entity) is { } formatted)
        {
            w.WriteString($"{name}@{Prefer.FormattedValue}", formatted);
        }

        w.WritePropertyName(name);
        WritePrimitive(w, value);
    }

    private void WriteAliased(Utf8JsonWriter w, string name, AliasedValue aliased, Entity entity)
    {
        var value = aliased.Value;
        if (value is not EntityReference && _prefer.Includes(Prefer.FormattedValue) && entity.FormattedValues.TryGetValue(name, out var formatted))
        {
            // e.g. an aggregate's fiscal-period group: "Quarter 1 FY2023".
            w.WriteString($"{name}@{Prefer.FormattedValue}", formatted);
        }

        if (value is EntityReference reference)
        {
            if (_prefer.Includes(Prefer.FormattedValue) && reference.Name is not null)
            {
                w.WriteString($"{name}@{Prefer.FormattedValue}", reference.Name);
            }

            if (_prefer.Includes(Prefer.LookupLogicalName))
            {
                w.WriteString($"{name}@{Prefer.LookupLogicalName}", reference.LogicalName);
            }

            w.WriteString(name, reference.Id);
            return;
        }

        w.WritePropertyName(name);
        WritePrimitive(w, value);
    }

    public static void WritePrimitive(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case decimal d:
                w.WriteNumberValue(d);
                break;
            case double db:
                w.WriteNumberValue(db);
                break;
            case Money m:
                w.WriteNumberValue(m.Value);
                break;
            case OptionSetValue o:
                w.WriteNumberValue(o.Value);
                break;
            case Guid g:
                w.WriteStringValue(g);
                break;
            case DateTime dt:
            {
                Span<char> text = stackalloc char[32];
                DateTime.SpecifyKind(dt, DateTimeKind.Utc).TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                w.WriteStringValue(text[..written]);
                break;
            }
            case EntityReference r:
                w.WriteStringValue(r.Id);
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private string? Formatted(ColumnMetadata column, object value, Entity entity) => value switch
    {
        Money money => CurrencySymbol(entity) + money.Value.ToString("N2", Display),
        OptionSetValue option => OptionLabel(column, option.Value),
        bool b => b ? "Yes" : "No",
        DateTime dt => dt.ToString("M/d/yyyy h:mm tt", Display),
        int i => i.ToString("N0", Display),
        long l => l.ToString("N0", Display),
        decimal d => d.ToString("N2", Display),
        double db => db.ToString("N2", Display),
        _ => null,
    };

    /// <summary>
    /// Labels for the state and status values of the built-in tables (the catalog holds option values, not labels);
    /// other choices are shown as their number.
    /// </summary>
    private static string OptionLabel(ColumnMetadata column, int value) => (column.Type, value) switch
    {
        (ColumnType.State, 0) => "Active",
        (ColumnType.State, 1) => "Inactive",
        (ColumnType.Status, 1) => "Active",
        (ColumnType.Status, 2) => "Inactive",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private string CurrencySymbol(Entity entity)
    {
        var currencyId = entity.Attributes.TryGetValue("transactioncurrencyid", out var value) && value is EntityReference currency
            ? currency.Id
            : _org.BaseCurrencyId;
        if (_currencySymbols.TryGetValue(currencyId, out var symbol))
        {
            return symbol;
        }

        try
        {
            var row = _org.GetService().Retrieve("transactioncurrency", currencyId, new Microsoft.Xrm.Sdk.Query.ColumnSet("currencysymbol"));
            symbol = row.GetAttributeValue<string>("currencysymbol") ?? string.Empty;
        }
        catch (System.ServiceModel.FaultException<OrganizationServiceFault>)
        {
            symbol = string.Empty;
        }

        _currencySymbols[currencyId] = symbol;
        return symbol;
    }
}

/// <summary>
/// Reads a JSON entity body into an SDK <see cref="Entity"/>: primitive properties by logical name (case-sensitive),
/// lookups only through <c>{navigation}@odata.bind</c> with the navigation property's exact name
/// ("Associate table rows on create", learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api).
/// Errors come back as Dataverse's payload errors (0x80048d19).
/// </summary>
internal sealed partial class EntityJsonReader
{
    private readonly WebApiModel _model;
    private readonly IReadOnlyDictionary<string, string>? _contentIds;

    public EntityJsonReader(WebApiModel model, IReadOnlyDictionary<string, string>? contentIds = null)
    {
        _model = model;
        _contentIds = contentIds;
    }

    public Entity Read(WebApiTable table, JsonElement body, bool requireType = false)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw WebApiException.Payload(table.EntitySetName, $"The request body must be a JSON object describing a {table.Table.LogicalName}, not {body.ValueKind}.");
        }

        var entity = new Entity(table.Table.LogicalName);
        var typed = false;
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var at = name.IndexOf('@');
            if (at == 0)
            {
                if (name == "@odata.type")
                {
                    CheckType(table, property.Value);
                    typed = true;
                }

                continue;
            }

            if (at > 0)
            {
                var target = name[..at];
                var annotation = name[(at + 1)..];
                if (annotation == "odata.bind")
                {
                    Bind(table, entity, target, property.Value);
                }
                else if (!table.Properties.ContainsKey(target) && !table.Navigations.ContainsKey(target))
                {
                    throw Undeclared(table, target);
                }

                continue;
            }

            if (!table.Properties.TryGetValue(name, out var column))
            {
                if (table.Navigations.ContainsKey(name))
                {
                    throw WebApiException.Payload(table.EntitySetName,
                        $"The navigation property '{name}' cannot be set with a value; use '{name}@odata.bind' with a reference such as \"/{_model.FindByLogicalName(table.Navigations[name].Target ?? "systemuser")?.EntitySetName}(00000000-0000-0000-0000-000000000000)\".");
                }

                throw WebApiException.Payload(table.EntitySetName,
                    $"Does not support untyped value in non-open type. The property '{name}' does not exist on type '{WebApiModel.Namespace}.{table.Table.LogicalName}'. Make sure to only use property names that are defined by the type.");
            }

            if (column.IsLookup)
            {
                throw WebApiException.Payload(table.EntitySetName,
                    $"CRM do not support direct update of Entity Reference properties, Use Navigation properties instead. ('{name}': set the lookup with '{WebApiModel.NavigationNames(column).First().Name}@odata.bind'.)");
            }

            var value = Convert(table, column, property.Value);
            if (column.Type == ColumnType.PrimaryKey && column.LogicalName == table.Table.PrimaryIdColumn && value is Guid id)
            {
                entity.Id = id;
            }

            entity[column.LogicalName] = value;
        }

        if (requireType && !typed)
        {
            throw WebApiException.Payload(table.EntitySetName,
                $"Every item of Targets needs \"@odata.type\": \"{WebApiModel.Namespace}.{table.Table.LogicalName}\".");
        }

        return entity;
    }

    private static WebApiException Undeclared(WebApiTable table, string name)
    {
        var hint = table.Navigations.Keys.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
        var message = $"An undeclared property '{name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.";
        if (hint is not null && hint != name)
        {
            // Navigation property names are case-sensitive ("Web API navigation properties"): say which one exists.
            message += $" (Navigation property names are case-sensitive: the {table.Table.LogicalName} navigation property is '{hint}'.)";
        }

        return WebApiException.Payload(table.EntitySetName, message);
    }

    private static void CheckType(WebApiTable table, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.TrimStart('#') : string.Empty;
        var expected = $"{WebApiModel.Namespace}.{table.Table.LogicalName}";
        if (!text.Equals(expected, StringComparison.Ordinal))
        {
            throw WebApiException.Payload(table.EntitySetName,
                $"The @odata.type '{value}' does not match the entity set '{table.EntitySetName}': expected '{expected}'.");
        }
    }

    private void Bind(WebApiTable table, Entity entity, string navigationName, JsonElement value)
    {
        if (!table.Navigations.TryGetValue(navigationName, out var navigation))
        {
            throw Undeclared(table, navigationName);
        }

        var column = navigation.Column;
        if (value.ValueKind == JsonValueKind.Null)
        {
            entity[column.LogicalName] = null;
            return;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw WebApiException.Payload(table.EntitySetName, $"'{navigationName}@odata.bind' must be a string such as \"/accounts(00000000-0000-0000-0000-000000000000)\".");
        }

        var (target, id) = ResolveReference(table.EntitySetName, value.GetString()!);
        var allowed = navigation.Target is null ? column.Targets.Count == 0 ? new[] { "systemuser", "team" } : column.Targets.ToArray() : new[] { navigation.Target };
        if (!allowed.Contains(target.Table.LogicalName, StringComparer.OrdinalIgnoreCase))
        {
            throw WebApiException.Payload(table.EntitySetName,
                $"A reference to '{target.EntitySetName}' cannot be bound to the navigation property '{navigationName}', which points to {string.Join(" or ", allowed)}.");
        }

        entity[column.LogicalName] = new EntityReference(target.Table.LogicalName, id);
    }

    /// <summary>Resolves "/accounts(id)", "accounts(id)", an absolute URL or a batch Content-ID reference ("$1").</summary>
    public (WebApiTable Table, Guid Id) ResolveReference(string entitySet, string reference)
    {
        var text = reference.Trim();
        if (text.StartsWith('$') && _contentIds is not null)
        {
            if (!_contentIds.TryGetValue(text[1..], out var resolved))
            {
                throw WebApiException.Payload(entitySet, $"The Content-ID reference '{text}' does not name an earlier operation of this change set.");
            }

            text = resolved;
        }

        var api = text.IndexOf("/api/data/v", StringComparison.OrdinalIgnoreCase);
        if (api >= 0)
        {
            var slash = text.IndexOf('/', api + "/api/data/v".Length);
            text = slash < 0 ? string.Empty : text[(slash + 1)..];
        }

        text = text.TrimStart('/');
        var match = ReferencePattern().Match(text);
        if (!match.Success || !Guid.TryParse(match.Groups[2].Value, out var id))
        {
            throw WebApiException.Payload(entitySet, $"The reference '{reference}' is not an entity reference of the form \"/accounts(00000000-0000-0000-0000-000000000000)\".");
        }

        var table = _model.FindBySet(match.Groups[1].Value)
            ?? throw WebApiException.Payload(entitySet, $"The reference '{reference}' names the entity set '{match.Groups[1].Value}', which does not exist (entity set names are case-sensitive).");
        return (table, id);
    }

    private static object? Convert(WebApiTable table, ColumnMetadata column, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            switch (column.Type)
            {
                case ColumnType.String:
                case ColumnType.Memo:
                    return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Mismatch(table, column, value, "Edm.String");
                case ColumnType.Integer:
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : throw Mismatch(table, column, value, "Edm.Int32");
                case ColumnType.Picklist:
                case ColumnType.State:
                case ColumnType.Status:
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var o) ? new OptionSetValue(o) : throw Mismatch(table, column, value, "Edm.Int32");
                case ColumnType.BigInt:
                    return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var l) ? l : throw Mismatch(table, column, value, "Edm.Int64");
                case ColumnType.Decimal:
                    return Decimal(table, column, value);
                case ColumnType.Money:
                    return new Money(Decimal(table, column, value));
                case ColumnType.Double:
                    return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Mismatch(table, column, value, "Edm.Double");
                case ColumnType.Boolean:
                    return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Mismatch(table, column, value, "Edm.Boolean");
                case ColumnType.DateTime:
                    if (value.ValueKind == JsonValueKind.String
                        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
                    {
                        return date.UtcDateTime;
                    }

                    throw Mismatch(table, column, value, "Edm.DateTimeOffset");
                case ColumnType.UniqueIdentifier:
                case ColumnType.PrimaryKey:
                    return value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var g) ? g : throw Mismatch(table, column, value, "Edm.Guid");
                default:
                    throw Mismatch(table, column, value, column.Type.ToString());
            }
        }
        catch (FormatException)
        {
            throw Mismatch(table, column, value, column.Type.ToString());
        }
    }

    private static decimal Decimal(WebApiTable table, ColumnMetadata column, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d))
        {
            return d;
        }

        if (value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d))
        {
            return d;
        }

        throw Mismatch(table, column, value, "Edm.Decimal");
    }

    private static WebApiException Mismatch(WebApiTable table, ColumnMetadata column, JsonElement value, string type)
        => WebApiException.Payload(table.EntitySetName,
            $"Cannot convert the literal '{value.GetRawText()}' to the expected type '{type}' (property '{column.LogicalName}').");

    [GeneratedRegex(@"^([A-Za-z0-9_]+)\(([0-9A-Fa-f\-]{36})\)$")]
    private static partial Regex ReferencePattern();
}
