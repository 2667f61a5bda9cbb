using System.Globalization;
using System.Text.Json;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Persistence;

/// <summary>
/// The org's state file: the whole org (metadata, relationships and rows) as versioned JSON. Reached through
/// <see cref="DataverseOrg.Save(string)"/> and <see cref="DataverseOrg.Load(string, DataverseOrgOptions?)"/>.
/// </summary>
internal static class OrgStateFile
{
    private const string StateFormatName = "partnerguard-emulator-state";

    /// <summary>
    /// Writes the org's metadata, relationships and rows to a JSON file (format <see cref="StateFormatVersion"/>).
    /// Plugin steps are code and are not saved: register them (or load the solution) again after loading.
    /// </summary>
    public static void Save(DataverseOrg org, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            Save(org, stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes the org's state as JSON to a stream.</summary>
    public static void Save(DataverseOrg org, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (org.Gate.Read())
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
            json.WriteStartObject();
            json.WriteString("format", StateFormatName);
            json.WriteNumber("version", DataverseOrg.StateFormatVersion);
            json.WriteString("organizationId", org.OrganizationId);
            json.WriteString("organizationName", org.Options.OrganizationName);
            json.WriteString("rootBusinessUnitId", org.RootBusinessUnitId);
            json.WriteString("administratorId", org.AdministratorId);
            json.WriteString("baseCurrencyId", org.BaseCurrencyId);
            json.WriteNumber("rowVersion", org.Store.CurrentVersion);

            json.WriteStartArray("tables");
            foreach (var table in org.Metadata.Tables.OrderBy(t => t.LogicalName, StringComparer.Ordinal))
            {
                WriteTable(json, table);
            }

            json.WriteEndArray();

            json.WriteStartArray("relationships");
            foreach (var relationship in org.Metadata.Relationships.OrderBy(r => r.SchemaName, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("schemaName", relationship.SchemaName);
                json.WriteString("referenced", relationship.ReferencedTable);
                json.WriteString("referencing", relationship.ReferencingTable);
                json.WriteString("column", relationship.ReferencingColumn);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartObject("rows");
            foreach (var table in org.Metadata.Tables.OrderBy(t => t.LogicalName, StringComparer.Ordinal))
            {
                json.WriteStartArray(table.LogicalName);
                foreach (var row in org.Store.Rows(table.LogicalName))
                {
                    json.WriteStartObject();
                    json.WriteString("id", row.Id);
                    json.WriteNumber("v", row.Version);
                    json.WriteStartObject("values");
                    foreach (var pair in row.Values)
                    {
                        json.WritePropertyName(pair.Key);
                        WriteValue(json, pair.Value);
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>Loads an org saved with <see cref="DataverseOrg.Save(string)"/>; fails with a message naming the problem for a file of another format or version.</summary>
    public static DataverseOrg Load(string path, DataverseOrgOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The emulator state file '{path}' does not exist.", path);
        }

        using var stream = File.OpenRead(path);
        return Load(stream, options, path);
    }

    /// <summary>Loads an org from a JSON state stream.</summary>
    public static DataverseOrg Load(Stream stream, DataverseOrgOptions? options = null, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The emulator state '{source}' is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            try
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != StateFormatName)
                {
                    throw new InvalidDataException($"'{source}' is not an emulator state file (expected \"format\": \"{StateFormatName}\").");
                }

                var version = root.GetProperty("version").GetInt32();
                if (version != DataverseOrg.StateFormatVersion)
                {
                    throw new InvalidDataException($"'{source}' has state format version {version}; this emulator reads version {DataverseOrg.StateFormatVersion}.");
                }

                var baseOptions = options ?? new DataverseOrgOptions();
                var org = new DataverseOrg(
                    // Every option comes from the host; only the org's name is the saved one.
                    baseOptions with { OrganizationName = root.GetProperty("organizationName").GetString() ?? baseOptions.OrganizationName },
                    root.GetProperty("organizationId").GetGuid())
                {
                    RootBusinessUnitId = root.GetProperty("rootBusinessUnitId").GetGuid(),
                    AdministratorId = root.GetProperty("administratorId").GetGuid(),
                    BaseCurrencyId = root.GetProperty("baseCurrencyId").GetGuid(),
                };
                foreach (var table in root.GetProperty("tables").EnumerateArray())
                {
                    ReadTable(org.Metadata, table);
                }

                foreach (var relationship in root.GetProperty("relationships").EnumerateArray())
                {
                    org.Metadata.AddRelationship(new RelationshipMetadata(
                        relationship.GetProperty("schemaName").GetString()!,
                        relationship.GetProperty("referenced").GetString()!,
                        relationship.GetProperty("referencing").GetString()!,
                        relationship.GetProperty("column").GetString()!));
                }

                foreach (var tableRows in root.GetProperty("rows").EnumerateObject())
                {
                    var table = org.Metadata.Find(tableRows.Name)
                        ?? throw new InvalidDataException($"'{source}' has rows for table '{tableRows.Name}', which its metadata does not define.");
                    var rows = org.Store.Table(table.LogicalName);
                    foreach (var item in tableRows.Value.EnumerateArray())
                    {
                        var id = item.GetProperty("id").GetGuid();
                        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                        foreach (var value in item.GetProperty("values").EnumerateObject())
                        {
                            var column = table.FindColumn(value.Name)
                                ?? throw new InvalidDataException($"'{source}': row {id} of '{table.LogicalName}' has column '{value.Name}', which the table does not define.");
                            values[column.LogicalName] = ReadValue(column, value.Value);
                        }

                        rows[id] = new Row(id, values, item.GetProperty("v").GetInt64());
                    }
                }

                org.Store.RestoreVersion(root.GetProperty("rowVersion").GetInt64());
                var administratorRole = org.Store.Rows("role").FirstOrDefault(r => r.Get("roletemplateid") is Guid template && template == Security.SecurityTables.SystemAdministratorTemplateId);
                if (administratorRole is null)
                {
                    // A state file written before roles were emulated: its administrator gets the built-in role it had implicitly.
                    org.AddSystemAdministratorRole();
                }
                else
                {
                    org.SystemAdministratorRoleId = administratorRole.Id;
                }

                return org;
            }
            catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"The emulator state '{source}' is malformed: {ex.Message}", ex);
            }
        }
    }

    private static void WriteTable(Utf8JsonWriter json, TableMetadata table)
    {
        json.WriteStartObject();
        json.WriteString("name", table.LogicalName);
        json.WriteString("schemaName", table.SchemaName);
        json.WriteString("entitySet", table.EntitySetName);
        json.WriteString("primaryId", table.PrimaryIdColumn);
        json.WriteString("primaryName", table.PrimaryNameColumn);
        json.WriteString("hierarchyParent", table.HierarchyParentColumn);
        json.WriteStartObject("defaultStatus");
        foreach (var pair in table.DefaultStatusForState)
        {
            json.WriteNumber(pair.Key.ToString(CultureInfo.InvariantCulture), pair.Value);
        }

        json.WriteEndObject();
        json.WriteStartArray("columns");
        foreach (var column in table.Columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column.LogicalName);
            json.WriteString("schemaName", column.SchemaName);
            json.WriteString("type", column.Type.ToString());
            if (column.MaxLength is int max)
            {
                json.WriteNumber("maxLength", max);
            }

            json.WriteStartArray("targets");
            foreach (var target in column.Targets)
            {
                json.WriteStringValue(target);
            }

            json.WriteEndArray();
            json.WriteStartArray("options");
            foreach (var option in column.Options)
            {
                json.WriteNumberValue(option);
            }

            json.WriteEndArray();
            json.WriteStartObject("optionLabels");
            foreach (var pair in column.OptionLabels)
            {
                json.WriteString(pair.Key.ToString(CultureInfo.InvariantCulture), pair.Value);
            }

            json.WriteEndObject();
            json.WriteStartObject("statusToState");
            foreach (var pair in column.StatusToState)
            {
                json.WriteNumber(pair.Key.ToString(CultureInfo.InvariantCulture), pair.Value);
            }

            json.WriteEndObject();
            json.WriteBoolean("readOnly", column.IsReadOnly);
            json.WriteBoolean("createOnly", column.IsCreateOnly);
            json.WriteBoolean("baseCurrency", column.IsBaseCurrency);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void ReadTable(MetadataCatalog catalog, JsonElement element)
    {
        var name = element.GetProperty("name").GetString()!;
        var table = catalog.Find(name) ?? catalog.AddOrGet(new TableMetadata(name, element.GetProperty("primaryId").GetString(), element.GetProperty("primaryName").GetString()));
        table.SchemaName = element.GetProperty("schemaName").GetString() ?? name;
        table.EntitySetName = element.GetProperty("entitySet").GetString() ?? table.EntitySetName;
        table.PrimaryNameColumn = element.GetProperty("primaryName").GetString();
        table.HierarchyParentColumn = element.GetProperty("hierarchyParent").GetString();
        foreach (var pair in element.GetProperty("defaultStatus").EnumerateObject())
        {
            table.DefaultStatusForState[int.Parse(pair.Name, CultureInfo.InvariantCulture)] = pair.Value.GetInt32();
        }

        foreach (var item in element.GetProperty("columns").EnumerateArray())
        {
            var typeText = item.GetProperty("type").GetString();
            if (!Enum.TryParse<ColumnType>(typeText, out var type))
            {
                throw new InvalidDataException($"Column '{name}.{item.GetProperty("name").GetString()}' has an unknown type '{typeText}'.");
            }

            table.AddColumn(new ColumnMetadata(item.GetProperty("name").GetString()!, type)
            {
                SchemaName = item.GetProperty("schemaName").GetString()!,
                MaxLength = item.TryGetProperty("maxLength", out var max) ? max.GetInt32() : null,
                Targets = item.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToArray(),
                Options = item.GetProperty("options").EnumerateArray().Select(o => o.GetInt32()).ToArray(),
                // Files written before the labels were kept have none: such columns order by value.
                OptionLabels = item.TryGetProperty("optionLabels", out var labels)
                    ? labels.EnumerateObject().ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetString()!)
                    : new Dictionary<int, string>(),
                StatusToState = item.GetProperty("statusToState").EnumerateObject()
                    .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetInt32()),
                IsReadOnly = item.GetProperty("readOnly").GetBoolean(),
                IsCreateOnly = item.GetProperty("createOnly").GetBoolean(),
                IsBaseCurrency = item.GetProperty("baseCurrency").GetBoolean(),
            });
        }
    }

    private static void WriteValue(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case string s:
                json.WriteStringValue(s);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case decimal d:
                // Text keeps every digit of a decimal.
                json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case double db:
                json.WriteNumberValue(db);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case DateTime dt:
                json.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                json.WriteStringValue(g);
                break;
            case LookupValue lookup:
                json.WriteStartObject();
                json.WriteString("table", lookup.Table);
                json.WriteString("id", lookup.Id);
                json.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"Cannot save a value of type {value.GetType().Name}.");
        }
    }

    private static object ReadValue(ColumnMetadata column, JsonElement value) => column.Type switch
    {
        ColumnType.String or ColumnType.Memo => value.GetString()!,
        ColumnType.Integer or ColumnType.Picklist or ColumnType.State or ColumnType.Status => value.GetInt32(),
        ColumnType.BigInt => value.GetInt64(),
        ColumnType.Decimal or ColumnType.Money => decimal.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        ColumnType.Double => value.GetDouble(),
        ColumnType.Boolean => value.GetBoolean(),
        ColumnType.DateTime => DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        ColumnType.UniqueIdentifier or ColumnType.PrimaryKey => value.GetGuid(),
        ColumnType.Lookup or ColumnType.Customer or ColumnType.Owner =>
            new LookupValue(value.GetProperty("table").GetString()!, value.GetProperty("id").GetGuid()),
        _ => throw new InvalidDataException($"Column '{column.LogicalName}' has an unsupported type {column.Type}."),
    };
}
