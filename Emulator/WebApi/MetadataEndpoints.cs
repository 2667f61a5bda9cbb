using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using Microsoft.OData.UriParser;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// <c>$metadata</c>, <c>EntityDefinitions</c> (with <c>ManyToOneRelationships</c>) and the synthesised
/// <c>sdkmessagefilters</c>, shaped as "Query table definitions using the Web API" shows
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api). Their
/// <c>$select</c>/<c>$filter</c> are parsed by Microsoft.OData.Core and evaluated over the rows in memory.
/// </summary>
internal static class MetadataEndpoints
{
    private static readonly string[] Messages = { "Create", "Update", "Delete", "Retrieve", "RetrieveMultiple", "Assign", "SetState", "CreateMultiple", "UpdateMultiple" };

    public static string Csdl(WebApiModel model)
    {
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Indent = false }))
        {
            if (!CsdlWriter.TryWriteCsdl(model.Model, writer, CsdlTarget.OData, out var errors))
            {
                throw new WebApiException(500, WebApiException.ODataCode, "The metadata document could not be written: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
            }
        }

        return text.ToString();
    }

    public static WebApiResponse EntityDefinitions(WebApiModel model, CallContext context, string? key, string? rest, Dictionary<string, string> options)
    {
        if (key is null)
        {
            if (rest is not null)
            {
                throw WebApiException.NotFoundSegment(rest);
            }

            var rows = model.Tables.OrderBy(t => t.Table.LogicalName, StringComparer.Ordinal).Select(t => EntityRow(t.Table)).ToList();
            return Collection(model, context, "EntityDefinitions", model.EntityMetadataType, rows, options);
        }

        var logicalName = LogicalNameKey(key);
        var table = model.FindByLogicalName(logicalName)
            ?? throw new WebApiException(404, WebApiException.Hex(OrgErrorCodes.QueryBuilderNoEntity), $"Could not find entity with logical name '{logicalName}'.");
        switch (rest)
        {
            case null:
            {
                var parsed = Parse(model, model.EntityMetadataType, options);
                var row = EntityRow(table.Table);
                return JsonWriting.Body(200, w =>
                {
                    var select = options.TryGetValue("$select", out var s) ? $"({s})" : string.Empty;
                    w.WriteString("@odata.context", $"{context.Root}$metadata#EntityDefinitions{select}/$entity");
                    WriteRow(w, row, parsed.Select);
                });
            }

            case "ManyToOneRelationships":
            {
                var rows = ManyToOne(model, table.Table).ToList();
                return Collection(model, context, $"EntityDefinitions('{table.Table.LogicalName}')/ManyToOneRelationships", model.RelationshipMetadataType, rows, options);
            }

            default:
                throw WebApiException.NotFoundSegment(rest);
        }
    }

    public static WebApiResponse SdkMessageFilters(WebApiModel model, CallContext context, Dictionary<string, string> options)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var table in model.Tables.OrderBy(t => t.Table.LogicalName, StringComparer.Ordinal))
        {
            foreach (var message in Messages)
            {
                var messageId = StableId("sdkmessage:" + message);
                rows.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["sdkmessagefilterid"] = StableId($"sdkmessagefilter:{message}:{table.Table.LogicalName}"),
                    ["primaryobjecttypecode"] = table.Table.LogicalName,
                    ["secondaryobjecttypecode"] = "none",
                    ["isvisible"] = true,
                    ["_sdkmessageid_value"] = messageId,
                    ["sdkmessageid"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["sdkmessageid"] = messageId, ["name"] = message },
                });
            }
        }

        return Collection(model, context, "sdkmessagefilters", model.SdkMessageFilterType!, rows, options);
    }

    private static string LogicalNameKey(string key)
    {
        var text = key.Trim();
        if (text.StartsWith("LogicalName=", StringComparison.Ordinal))
        {
            text = text["LogicalName=".Length..];
        }

        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        throw WebApiException.BadRequest($"EntityDefinitions can be addressed as EntityDefinitions(LogicalName='account'); '{key}' is not supported by the PartnerGuard emulator.");
    }

    private static Dictionary<string, object?> EntityRow(TableMetadata table) => new(StringComparer.Ordinal)
    {
        ["MetadataId"] = StableId("entity:" + table.LogicalName),
        ["LogicalName"] = table.LogicalName,
        ["SchemaName"] = table.SchemaName,
        ["EntitySetName"] = table.EntitySetName,
        ["LogicalCollectionName"] = table.EntitySetName,
        ["CollectionSchemaName"] = table.SchemaName + "s",
        ["PrimaryIdAttribute"] = table.PrimaryIdColumn,
        ["PrimaryNameAttribute"] = table.PrimaryNameColumn,
        ["OwnershipType"] = table.IsUserOwned ? "UserOwned" : "OrganizationOwned",
        ["IsCustomEntity"] = table.LogicalName.Contains('_', StringComparison.Ordinal),
        ["IsOptimisticConcurrencyEnabled"] = table.HasColumn("versionnumber"),
        ["IsActivity"] = false,
    };

    private static IEnumerable<Dictionary<string, object?>> ManyToOne(WebApiModel model, TableMetadata table)
    {
        foreach (var column in table.Columns.Where(c => c.IsLookup))
        {
            foreach (var (navigation, target) in WebApiModel.NavigationNames(column))
            {
                // ownerid is one relationship to the "owner" table, as in Dataverse (owner_{entityset}).
                var referenced = target ?? "owner";
                var schemaName = FindRelationship(table, column, referenced, model) ?? $"{referenced}_{table.LogicalName}_{column.LogicalName}";
                if (target is null)
                {
                    schemaName = $"owner_{table.EntitySetName}";
                }

                var referencedTable = target is null ? null : model.FindByLogicalName(target)?.Table;
                yield return new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["MetadataId"] = StableId($"relationship:{schemaName}:{navigation}"),
                    ["SchemaName"] = schemaName,
                    ["RelationshipType"] = "OneToManyRelationship",
                    ["IsCustomRelationship"] = column.LogicalName.Contains('_', StringComparison.Ordinal) && !column.LogicalName.StartsWith("address", StringComparison.Ordinal),
                    ["ReferencedEntity"] = referenced,
                    ["ReferencedAttribute"] = referencedTable?.PrimaryIdColumn ?? "ownerid",
                    ["ReferencingEntity"] = table.LogicalName,
                    ["ReferencingAttribute"] = column.LogicalName,
                    ["ReferencedEntityNavigationPropertyName"] = schemaName,
                    ["ReferencingEntityNavigationPropertyName"] = navigation,
                };
            }
        }
    }

    private static string? FindRelationship(TableMetadata table, ColumnMetadata column, string referenced, WebApiModel model)
    {
        return model.Relationships.FirstOrDefault(r =>
            string.Equals(r.ReferencingTable, table.LogicalName, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.ReferencingColumn, column.LogicalName, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.ReferencedTable, referenced, StringComparison.OrdinalIgnoreCase))?.SchemaName;
    }

    private static Guid StableId(string text) => new(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record ParsedOptions(IReadOnlyList<string>? Select, FilterClause? Filter, long? Top);

    private static ParsedOptions Parse(WebApiModel model, IEdmEntityType type, Dictionary<string, string> options)
    {
        var supported = options.Where(o => o.Key is "$select" or "$filter" or "$top").ToDictionary(o => o.Key, o => o.Value);
        foreach (var other in options.Keys.Where(k => k.StartsWith('$') && !supported.ContainsKey(k)))
        {
            throw WebApiException.BadRequest($"The query option {other} is not supported on metadata by the PartnerGuard emulator.");
        }

        var parser = new ODataQueryOptionParser(model.Model, type, null, supported) { Resolver = new ODataUriResolver { EnableCaseInsensitive = false } };
        try
        {
            var select = parser.ParseSelectAndExpand();
            IReadOnlyList<string>? names = select is null || select.AllSelected
                ? null
                : select.SelectedItems.OfType<PathSelectItem>().Select(i => i.SelectedPath.LastSegment).OfType<PropertySegment>().Select(p => p.Property.Name).ToList();
            return new ParsedOptions(names, parser.ParseFilter(), parser.ParseTop());
        }
        catch (ODataException ex)
        {
            throw WebApiException.BadRequest(ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            throw WebApiException.BadRequest($"The query could not be parsed: {ex.Message}");
        }
    }

    private static WebApiResponse Collection(WebApiModel model, CallContext context, string contextPath, IEdmEntityType type, List<Dictionary<string, object?>> rows, Dictionary<string, string> options)
    {
        var parsed = Parse(model, type, options);
        IEnumerable<Dictionary<string, object?>> result = rows;
        if (parsed.Filter is not null)
        {
            result = result.Where(r => InMemoryFilter.Matches(parsed.Filter.Expression, r));
        }

        if (parsed.Top is long top)
        {
            result = result.Take((int)top);
        }

        var list = result.ToList();
        return JsonWriting.Body(200, w =>
        {
            var select = options.TryGetValue("$select", out var s) ? $"({s})" : string.Empty;
            w.WriteString("@odata.context", $"{context.Root}$metadata#{contextPath}{select}");
            w.WriteStartArray("value");
            foreach (var row in list)
            {
                w.WriteStartObject();
                WriteRow(w, row, parsed.Select);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static void WriteRow(Utf8JsonWriter w, Dictionary<string, object?> row, IReadOnlyList<string>? select)
    {
        foreach (var (name, value) in row)
        {
            if (value is Dictionary<string, object?> || (select is not null && !select.Contains(name, StringComparer.Ordinal) && name is not ("MetadataId" or "sdkmessagefilterid")))
            {
                continue;
            }

            w.WritePropertyName(name);
            EntityJsonWriter.WritePrimitive(w, value);
        }
    }
}

/// <summary>Evaluates a parsed OData <c>$filter</c> over in-memory rows (dictionaries; navigation properties hold nested dictionaries).</summary>
internal static class InMemoryFilter
{
    public static bool Matches(SingleValueNode node, Dictionary<string, object?> row) => Evaluate(node, row) is true;

    private static object? Evaluate(SingleValueNode node, Dictionary<string, object?> row)
    {
        switch (node)
        {
            case ConvertNode convert:
                return Evaluate(convert.Source, row);
            case ConstantNode constant:
                return constant.Value;
            case SingleValuePropertyAccessNode access:
            {
                var source = access.Source is SingleNavigationNode navigation
                    ? row.GetValueOrDefault(navigation.NavigationProperty.Name) as Dictionary<string, object?>
                    : row;
                return source?.GetValueOrDefault(access.Property.Name);
            }

            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                return Evaluate(not.Operand, row) is not true;
            case BinaryOperatorNode binary:
            {
                if (binary.OperatorKind == BinaryOperatorKind.And)
                {
                    return Evaluate(binary.Left, row) is true && Evaluate(binary.Right, row) is true;
                }

                if (binary.OperatorKind == BinaryOperatorKind.Or)
                {
                    return Evaluate(binary.Left, row) is true || Evaluate(binary.Right, row) is true;
                }

                var compare = Compare(Evaluate(binary.Left, row), Evaluate(binary.Right, row));
                return binary.OperatorKind switch
                {
                    BinaryOperatorKind.Equal => compare == 0,
                    BinaryOperatorKind.NotEqual => compare != 0,
                    BinaryOperatorKind.GreaterThan => compare is > 0 and not int.MaxValue,
                    BinaryOperatorKind.GreaterThanOrEqual => compare is >= 0 and not int.MaxValue,
                    BinaryOperatorKind.LessThan => compare < 0,
                    BinaryOperatorKind.LessThanOrEqual => compare <= 0,
                    _ => throw WebApiException.BadRequest($"The operator {binary.OperatorKind} is not supported here."),
                };
            }

            case SingleValueFunctionCallNode call when call.Parameters.Count() == 2:
            {
                var args = call.Parameters.OfType<SingleValueNode>().Select(p => Evaluate(p, row) as string).ToArray();
                if (args.Length != 2 || args[0] is null || args[1] is null)
                {
                    return false;
                }

                return call.Name switch
                {
                    "contains" => args[0]!.Contains(args[1]!, StringComparison.OrdinalIgnoreCase),
                    "startswith" => args[0]!.StartsWith(args[1]!, StringComparison.OrdinalIgnoreCase),
                    "endswith" => args[0]!.EndsWith(args[1]!, StringComparison.OrdinalIgnoreCase),
                    _ => throw WebApiException.BadRequest($"The function {call.Name} is not supported here."),
                };
            }

            default:
                throw WebApiException.BadRequest($"The $filter expression {node.Kind} is not supported here.");
        }
    }

    /// <summary>Compares two values; int.MaxValue means "not comparable" (null against a value).</summary>
    private static int Compare(object? left, object? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null ? 0 : int.MaxValue;
        }

        if (left is string a && right is string b)
        {
            return string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        }

        if (left is Guid g1 && right is Guid g2)
        {
            return g1.CompareTo(g2);
        }

        if (left is bool x && right is bool y)
        {
            return x.CompareTo(y);
        }

        if (left is IConvertible && right is IConvertible && left is not string && right is not string)
        {
            return Convert.ToDecimal(left, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(right, System.Globalization.CultureInfo.InvariantCulture));
        }

        throw WebApiException.BadRequest($"The values '{left}' and '{right}' cannot be compared.");
    }
}
