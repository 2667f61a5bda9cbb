using System.Globalization;
using System.Reflection;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.SolutionModel;

namespace PartnerGuard.Emulator.Solution;

/// <summary>What loading a solution folder added to the org.</summary>
/// <param name="Tables">Tables created or extended.</param>
/// <param name="Steps">Plugin steps registered.</param>
/// <param name="EnvironmentVariables">Environment variable definitions created.</param>
/// <param name="Warnings">Things the emulator skipped (for example many-to-many relationships).</param>
public sealed record SolutionLoadResult(
    IReadOnlyList<string> Tables,
    IReadOnlyList<PluginStep> Steps,
    IReadOnlyList<string> EnvironmentVariables,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The model-driven components added as rows: savedquery (views), savedqueryvisualization (charts), systemform (forms and dashboards), appmodule and sitemap.</summary>
    public IReadOnlyList<EntityReference> Components { get; init; } = [];

    /// <summary>Custom APIs registered (customapis/*), by unique name.</summary>
    public IReadOnlyList<string> CustomApis { get; init; } = Array.Empty<string>();

    /// <summary>The ids of the security roles loaded from <c>Roles/*.xml</c> (role rows with their privileges).</summary>
    public IReadOnlyList<Guid> Roles { get; init; } = Array.Empty<Guid>();
}

/// <summary>
/// Loads an unpacked solution (pac / SolutionPackager layout), as read by <see cref="SolutionSource"/> (the reader the
/// packer uses too), into the org: Entities/*/Entity.xml, OptionSets/*.xml, Other/Relationships/*.xml,
/// SdkMessageProcessingSteps/*.xml, environmentvariabledefinitions/* and customapis/* (each a message the org then runs). Files that are not well-formed XML stop the
/// load; rules only the packer enforces (root components, prefixes…) do not. The formats are described in
/// shared/reference/solution-format-notes.md §1.6–1.9 and §2.
/// </summary>
internal sealed class SolutionLoader
{
    private static readonly HashSet<string> SystemReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "createdon", "modifiedon", "createdby", "modifiedby", "createdonbehalfby", "modifiedonbehalfby",
        "owningbusinessunit", "owninguser", "owningteam", "versionnumber",
    };

    private readonly DataverseOrg _org;
    private readonly string _root;
    private readonly Func<string, Type?>? _resolveType;
    private readonly List<string> _warnings = new();
    private readonly Dictionary<string, XElement> _globalOptionSets = new(StringComparer.OrdinalIgnoreCase);

    public SolutionLoader(DataverseOrg org, string root, Func<string, Type?>? resolveType)
    {
        _org = org;
        _root = root;
        _resolveType = resolveType;
    }

    public SolutionLoadResult Load(bool registerSteps)
    {
        if (!Directory.Exists(_root))
        {
            throw new DirectoryNotFoundException($"The solution folder '{_root}' does not exist.");
        }

        var problems = new List<SourceProblem>();
        var source = SolutionSource.Read(_root, problems);
        var unreadable = problems.Where(p => p.Kind == SourceProblemKind.Unreadable).ToList();
        if (unreadable.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, unreadable.Select(p => Path.Combine(_root, p.ToString()))));
        }

        foreach (var optionSet in source.OptionSets)
        {
            if (optionSet.Root.Attribute("Name")?.Value is { } name)
            {
                _globalOptionSets[name] = optionSet.Root;
            }
        }

        var tables = new List<string>();
        foreach (var entity in source.Entities)
        {
            tables.Add(LoadEntity(entity.Entity.Root, Full(entity.Entity)));
        }

        foreach (var file in source.RelationshipFiles)
        {
            LoadRelationships(file.Root, Full(file));
        }

        var variables = LoadEnvironmentVariables(source);
        var roles = SolutionRoles.Load(_org, source.Roles, Full);
        var components = LoadCustomizations(source);
        var steps = new List<PluginStep>();
        if (registerSteps)
        {
            foreach (var step in source.Steps)
            {
                steps.Add(_org.RegisterStep(LoadStep(step.Root, Full(step))));
            }
        }

        LoadFormsAndWebResources(source);
        var apis = new List<string>();
        foreach (var api in source.CustomApis)
        {
            var loaded = LoadCustomApi(api, source);
            _org.RegisterCustomApi(loaded);
            apis.Add(loaded.UniqueName);
        }

        return new SolutionLoadResult(tables, steps, variables, _warnings) { Components = components, CustomApis = apis, Roles = roles };
    }

    /// <summary>The form types of FormXml/&lt;type&gt;/ as systemform.type values (systemform table reference).</summary>
    private static readonly Dictionary<string, int> FormTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["main"] = 2, ["mobile"] = 5, ["quick"] = 6, ["quickCreate"] = 7, ["card"] = 11,
    };

    /// <summary>Forms become systemform rows (their form XML as exported) and web resources webresource rows (content in base64).</summary>
    private void LoadFormsAndWebResources(SolutionSource source)
    {
        var caller = new CallerContext(_org.AdministratorId, _org.AdministratorId, null, BypassPlugins: true, InsideBatch: false) { IsSystem = true };
        foreach (var entity in source.Entities)
        {
            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant))
            {
                var systemForm = form.Document.Root.Element("systemform");
                if (systemForm is null || !Guid.TryParse(form.FormId.Trim('{', '}'), out var id) || _org.Store.Find("systemform", id) is not null)
                {
                    continue;
                }

                if (!FormTypes.TryGetValue(form.FormType, out var type))
                {
                    _warnings.Add($"{form.Document.RelativePath}: forms of type '{form.FormType}' are not loaded.");
                    continue;
                }

                _org.InsertRow(new Entity("systemform", id)
                {
                    ["name"] = systemForm.Element("LocalizedNames")?.Elements("LocalizedName").FirstOrDefault()?.Attribute("description")?.Value ?? form.FormId,
                    ["objecttypecode"] = entity.LogicalName,
                    ["type"] = new OptionSetValue(type),
                    ["formactivationstate"] = new OptionSetValue(Text(systemForm, "FormActivationState") == "0" ? 0 : 1),
                    ["formxml"] = systemForm.Element("form")?.ToString(SaveOptions.DisableFormatting) ?? string.Empty,
                }, caller);
            }
        }

        foreach (var webResource in source.WebResources)
        {
            if (webResource.Id is not { } text || !Guid.TryParse(text, out var id) || _org.Store.Find("webresource", id) is not null)
            {
                continue;
            }

            _org.InsertRow(new Entity("webresource", id)
            {
                ["name"] = webResource.Name,
                ["displayname"] = Text(webResource.Data.Root, "DisplayName") ?? webResource.Name,
                ["webresourcetype"] = new OptionSetValue(int.TryParse(Text(webResource.Data.Root, "WebResourceType"), out var type) ? type : 3),
                ["content"] = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(_root, webResource.ContentPath.Replace('/', Path.DirectorySeparatorChar)))),
            }, caller);
        }
    }

    /// <summary>customapis/&lt;name&gt;/: the definition, its plug-in type (by PluginTypeId in the solution's assemblies) and its fields.</summary>
    private CustomApi LoadCustomApi(CustomApiSource api, SolutionSource source)
    {
        var root = api.Api.Root;
        var file = Full(api.Api);
        var typeElement = root.Element("plugintypeid");
        var typeId = SourceIds.NormalizeId(Text(typeElement ?? root, "plugintypeid") ?? Text(typeElement ?? root, "plugintypeexportkey"));
        PluginStep? main = null;
        if (typeElement is not null && typeId is not null)
        {
            var type = source.PluginAssemblies.SelectMany(a => a.Data.Root.Element("PluginTypes")?.Elements("PluginType") ?? [])
                .FirstOrDefault(t => SourceIds.NormalizeId(t.Attribute("PluginTypeId")?.Value) == typeId)
                ?? throw new InvalidDataException($"{file}: the plug-in type {{{typeId}}} is not a PluginType of the solution's plug-in assemblies.");
            var qualified = type.Attribute("AssemblyQualifiedName")?.Value ?? type.Attribute("Name")?.Value ?? "";
            var pluginType = ResolvePluginType(qualified)
                ?? throw new InvalidDataException($"{file}: the plugin type '{qualified}' could not be found; load its assembly or pass a type resolver.");
            main = PluginStep.ForMainOperation(pluginType, api.UniqueName);
        }

        static CustomApiField Field(SourceDocument part) => new(
            part.Root.Attribute("uniquename")?.Value ?? "",
            int.Parse(Text(part.Root, "type") ?? "10", CultureInfo.InvariantCulture),
            Text(part.Root, "isoptional") == "1",
            Text(part.Root, "logicalentityname") is { Length: > 0 } table ? table : null);

        return new CustomApi(
            api.UniqueName,
            Text(root, "isfunction") == "1",
            int.TryParse(Text(root, "bindingtype"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var binding) ? binding : 0,
            Text(root, "boundentitylogicalname") is { Length: > 0 } bound ? bound : null,
            main,
            api.RequestParameters.Select(Field).ToArray(),
            api.ResponseProperties.Select(Field).ToArray())
        {
            ExecutePrivilegeName = Text(root, "executeprivilegename") is { Length: > 0 } privilege ? privilege : null,
        };
    }

    /// <summary>Views, charts, forms, dashboards, apps and site maps become rows (<see cref="CustomizationRows"/>); a row already there is kept.</summary>
    private List<EntityReference> LoadCustomizations(SolutionSource source)
    {
        var rows = CustomizationRows.From(source).Where(r => _org.Store.Find(r.LogicalName, r.Id) is null).ToList();
        _org.Seed(rows);
        return rows.Select(r => r.ToEntityReference()).ToList();
    }

    private string Full(SourceDocument document) => Path.Combine(_root, document.RelativePath.Replace('/', Path.DirectorySeparatorChar));

    private string LoadEntity(XElement root, string file)
    {
        var entity = root.Element("EntityInfo")?.Element("entity")
            ?? throw new InvalidDataException($"{file}: <Entity> has no <EntityInfo><entity> element.");
        var schemaName = entity.Attribute("Name")?.Value ?? root.Element("Name")?.Value
            ?? throw new InvalidDataException($"{file}: the entity has no Name.");
        var attributes = entity.Element("attributes")?.Elements("attribute").ToArray() ?? Array.Empty<XElement>();
        var logicalName = schemaName.ToLowerInvariant();

        var table = _org.Metadata.Find(logicalName);
        if (table is null)
        {
            var primaryKey = attributes.FirstOrDefault(a => Text(a, "Type") == "primarykey");
            var primaryName = attributes.FirstOrDefault(a => (Text(a, "DisplayMask") ?? string.Empty).Split('|').Contains("PrimaryName"));
            table = _org.Metadata.AddOrGet(new TableMetadata(logicalName, primaryKey is null ? null : LogicalNameOf(primaryKey, file), primaryName is null ? null : LogicalNameOf(primaryName, file))
            {
                SchemaName = schemaName,
            });
            SystemTables.Audit(table);
        }

        if (Text(entity, "EntitySetName") is { Length: > 0 } entitySet)
        {
            table.EntitySetName = entitySet;
        }

        foreach (var attribute in attributes)
        {
            var column = ColumnOf(attribute, table, file);
            if (column is not null && (table.FindColumn(column.LogicalName) is null || column.LogicalName.Contains('_', StringComparison.Ordinal)))
            {
                table.AddColumn(column);
                if (column.Type == ColumnType.Money && table.FindColumn(column.LogicalName + "_base") is null)
                {
                    SystemTables.Money(table, column.LogicalName);
                }

                if (column.Type == ColumnType.State)
                {
                    ReadDefaultStatuses(attribute, table);
                }
            }
        }

        return table.LogicalName;
    }

    private ColumnMetadata? ColumnOf(XElement attribute, TableMetadata table, string file)
    {
        var name = LogicalNameOf(attribute, file);
        var typeText = Text(attribute, "Type") ?? throw new InvalidDataException($"{file}: attribute '{name}' has no <Type>.");
        ColumnType type;
        switch (typeText.ToLowerInvariant())
        {
            case "nvarchar": type = ColumnType.String; break;
            case "ntext": case "memo": type = ColumnType.Memo; break;
            case "int": type = ColumnType.Integer; break;
            case "bigint": type = ColumnType.BigInt; break;
            case "decimal": type = ColumnType.Decimal; break;
            case "float": type = ColumnType.Double; break;
            case "money": type = ColumnType.Money; break;
            case "bit": type = ColumnType.Boolean; break;
            case "datetime": type = ColumnType.DateTime; break;
            case "lookup": type = ColumnType.Lookup; break;
            case "customer": type = ColumnType.Customer; break;
            case "owner": type = ColumnType.Owner; break;
            case "picklist": type = ColumnType.Picklist; break;
            case "state": type = ColumnType.State; break;
            case "status": type = ColumnType.Status; break;
            case "uniqueidentifier": type = ColumnType.UniqueIdentifier; break;
            case "primarykey": type = ColumnType.PrimaryKey; break;
            default:
                _warnings.Add($"{file}: attribute '{name}' of type '{typeText}' is not emulated and was skipped.");
                return null;
        }

        if (type == ColumnType.PrimaryKey && name != table.PrimaryIdColumn)
        {
            throw new InvalidDataException($"{file}: the primary key '{name}' differs from the table's primary key '{table.PrimaryIdColumn}'.");
        }

        var validForCreate = Text(attribute, "ValidForCreateApi") != "0";
        var validForUpdate = Text(attribute, "ValidForUpdateApi") != "0";
        var column = new ColumnMetadata(name, type)
        {
            SchemaName = attribute.Attribute("PhysicalName")?.Value ?? name,
            MaxLength = int.TryParse(Text(attribute, "MaxLength"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? max : type == ColumnType.String ? 100 : null,
            IsReadOnly = SystemReadOnly.Contains(name) || (!validForCreate && !validForUpdate && type != ColumnType.PrimaryKey),
            IsCreateOnly = validForCreate && !validForUpdate,
            IsBaseCurrency = type == ColumnType.Money && name.EndsWith("_base", StringComparison.Ordinal),
        };
        if (column.IsBaseCurrency)
        {
            column.IsReadOnly = true;
        }

        if (type == ColumnType.Customer)
        {
            column.Targets = new[] { "account", "contact" };
        }
        else if (type == ColumnType.Owner)
        {
            column.Targets = new[] { "systemuser", "team" };
        }
        else if (table.FindColumn(name) is { } existing && existing.IsLookup)
        {
            column.Targets = existing.Targets;
        }

        if (column.IsOptionSet || type == ColumnType.Boolean)
        {
            ReadOptions(attribute, column, file);
        }

        return column;
    }

    private void ReadOptions(XElement attribute, ColumnMetadata column, string file)
    {
        var optionSet = attribute.Element("optionset");
        if (optionSet is null && Text(attribute, "OptionSetName") is { } globalName)
        {
            if (!_globalOptionSets.TryGetValue(globalName, out optionSet))
            {
                _warnings.Add($"{file}: attribute '{column.LogicalName}' uses the option set '{globalName}', which the solution does not define; any value is accepted.");
                return;
            }
        }

        if (optionSet is null)
        {
            return;
        }

        // The labels a query orders the choice by (see ColumnMetadata.OptionLabels); a two-option (bit) column has
        // labels only: any true/false value is accepted.
        column.OptionLabels = optionSet.Descendants()
            .Where(e => e.Name.LocalName is "option" or "state" or "status" && e.Attribute("value") is not null)
            .Select(e => (Value: IntAttribute(e, "value", file), Label: LabelOf(e)))
            .Where(p => p.Label is not null)
            .GroupBy(p => p.Value)
            .ToDictionary(g => g.Key, g => g.First().Label!);
        if (column.Type == ColumnType.Boolean)
        {
            return;
        }

        if (column.Type == ColumnType.State)
        {
            column.Options = optionSet.Descendants("state").Select(s => IntAttribute(s, "value", file)).ToArray();
        }
        else if (column.Type == ColumnType.Status)
        {
            var statuses = optionSet.Descendants("status").ToArray();
            column.StatusToState = statuses.ToDictionary(s => IntAttribute(s, "value", file), s => IntAttribute(s, "state", file));
            column.Options = column.StatusToState.Keys.ToArray();
        }
        else
        {
            column.Options = optionSet.Descendants("option").Select(o => IntAttribute(o, "value", file)).ToArray();
        }
    }

    /// <summary>An option's label in the base language (1033), else its first label.</summary>
    private static string? LabelOf(XElement option)
    {
        var labels = option.Element("labels")?.Elements("label").ToArray() ?? Array.Empty<XElement>();
        var label = labels.FirstOrDefault(l => l.Attribute("languagecode")?.Value == "1033") ?? labels.FirstOrDefault();
        return label?.Attribute("description")?.Value;
    }

    private static void ReadDefaultStatuses(XElement attribute, TableMetadata table)
    {
        foreach (var state in attribute.Descendants("state"))
        {
            if (int.TryParse(state.Attribute("value")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                && int.TryParse(state.Attribute("defaultstatus")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status))
            {
                table.DefaultStatusForState[value] = status;
            }
        }
    }

    private void LoadRelationships(XElement root, string file)
    {
        foreach (var relationship in root.Elements("EntityRelationship"))
        {
            var name = relationship.Attribute("Name")?.Value ?? throw new InvalidDataException($"{file}: an <EntityRelationship> has no Name.");
            if (!string.Equals(Text(relationship, "EntityRelationshipType"), "OneToMany", StringComparison.OrdinalIgnoreCase))
            {
                _warnings.Add($"{file}: relationship '{name}' ({Text(relationship, "EntityRelationshipType")}) is not emulated.");
                continue;
            }

            var referencing = Text(relationship, "ReferencingEntityName")?.ToLowerInvariant();
            var referenced = Text(relationship, "ReferencedEntityName")?.ToLowerInvariant();
            var attribute = Text(relationship, "ReferencingAttributeName")?.ToLowerInvariant();
            if (referencing is null || referenced is null || attribute is null)
            {
                throw new InvalidDataException($"{file}: relationship '{name}' needs ReferencingEntityName, ReferencedEntityName and ReferencingAttributeName.");
            }

            var table = _org.Metadata.Find(referencing);
            var column = table?.FindColumn(attribute);
            if (table is null || column is null || _org.Metadata.Find(referenced) is null)
            {
                _warnings.Add($"{file}: relationship '{name}' links {referenced} → {referencing}.{attribute}, which the org does not have; skipped.");
                continue;
            }

            if (column.Type == ColumnType.Lookup && !column.Targets.Contains(referenced, StringComparer.OrdinalIgnoreCase))
            {
                column.Targets = column.Targets.Append(referenced).ToArray();
            }

            if (Text(relationship, "IsHierarchical") == "1" && referenced == referencing)
            {
                table.HierarchyParentColumn = attribute;
            }

            _org.Metadata.AddRelationship(new RelationshipMetadata(name, referenced, referencing, attribute));
        }
    }

    private List<string> LoadEnvironmentVariables(SolutionSource source)
    {
        var created = new List<string>();
        foreach (var variable in source.EnvironmentVariables)
        {
            var definition = variable.Definition.Root;
            var file = Full(variable.Definition);
            var schemaName = definition.Attribute("schemaname")?.Value
                ?? throw new InvalidDataException($"{file}: <environmentvariabledefinition> has no schemaname.");
            var type = int.TryParse(Text(definition, "type"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 100000000;
            _org.DefineEnvironmentVariable(
                schemaName,
                Text(definition, "defaultvalue"),
                type,
                definition.Element("displayname")?.Attribute("default")?.Value);
            created.Add(schemaName);
        }

        return created;
    }

    private PluginStep LoadStep(XElement step, string file)
    {
        var name = step.Attribute("Name")?.Value ?? Path.GetFileNameWithoutExtension(file);
        var message = MessageOf(step, name, file);
        var stageValue = int.Parse(Text(step, "Stage") ?? throw new InvalidDataException($"{file}: the step has no <Stage>."), CultureInfo.InvariantCulture);
        if (stageValue is not (10 or 20 or 40))
        {
            throw new InvalidDataException($"{file}: stage {stageValue} is not a stage custom steps can use (10, 20 or 40).");
        }
        var typeName = Text(step, "PluginTypeName") ?? throw new InvalidDataException($"{file}: the step has no <PluginTypeName>.");
        var pluginType = ResolvePluginType(typeName)
            ?? throw new InvalidDataException($"{file}: the plugin type '{typeName}' could not be found; load its assembly or pass a type resolver.");

        var images = step.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage").Select(image => new StepImage(
            Text(image, "EntityAlias") ?? image.Attribute("Name")?.Value ?? throw new InvalidDataException($"{file}: an image has no EntityAlias."),
            (ImageType)int.Parse(Text(image, "ImageType") ?? "0", CultureInfo.InvariantCulture),
            Split(Text(image, "Attributes")))).ToArray() ?? Array.Empty<StepImage>();
        return new PluginStep(pluginType, message, Text(step, "PrimaryEntity"), (PipelineStage)stageValue)
        {
            Id = Guid.TryParse(step.Attribute("SdkMessageProcessingStepId")?.Value, out var id) ? id : Guid.NewGuid(),
            Name = name,
            Mode = Text(step, "Mode") == "1" ? StepMode.Asynchronous : StepMode.Synchronous,
            Rank = int.TryParse(Text(step, "Rank"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rank) ? rank : 1,
            FilteringAttributes = Split(Text(step, "FilteringAttributes")),
            UnsecureConfiguration = Text(step, "Configuration"),
            Images = images,
        };
    }

    private static string MessageOf(XElement step, string name, string file)
    {
        if (SourceIds.MessageOf(Text(step, "SdkMessageId")) is { } known)
        {
            return known;
        }

        // The Plugin Registration Tool names steps "<type>: <Message> of <table>".
        var colon = name.LastIndexOf(": ", StringComparison.Ordinal);
        var of = name.LastIndexOf(" of ", StringComparison.Ordinal);
        if (colon >= 0 && of > colon)
        {
            return name.Substring(colon + 2, of - colon - 2).Trim();
        }

        throw new InvalidDataException($"{file}: the message of step '{name}' could not be determined from SdkMessageId '{Text(step, "SdkMessageId")}' or the step name.");
    }

    private Type? ResolvePluginType(string assemblyQualifiedName)
    {
        if (_resolveType?.Invoke(assemblyQualifiedName) is { } resolved)
        {
            return resolved;
        }

        var parts = assemblyQualifiedName.Split(',', 3, StringSplitOptions.TrimEntries);
        var typeName = parts[0];
        var assemblyName = parts.Length > 1 ? parts[1] : null;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if ((assemblyName is null || assembly.GetName().Name == assemblyName) && assembly.GetType(typeName) is { } type)
            {
                return type;
            }
        }

        if (assemblyName is not null)
        {
            try
            {
                return Assembly.Load(new AssemblyName(assemblyName)).GetType(typeName);
            }
            catch (IOException)
            {
                return null;
            }
        }

        return null;
    }

    private static string LogicalNameOf(XElement attribute, string file)
        => (Text(attribute, "LogicalName") ?? Text(attribute, "Name") ?? attribute.Attribute("PhysicalName")?.Value
            ?? throw new InvalidDataException($"{file}: an attribute has no LogicalName.")).ToLowerInvariant();

    private static string? Text(XElement element, string child) => element.Element(child)?.Value.Trim();

    private static int IntAttribute(XElement element, string attribute, string file)
        => int.TryParse(element.Attribute(attribute)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file}: <{element.Name.LocalName}> needs a whole-number '{attribute}' attribute.");

    private static string[] Split(string? list)
        => string.IsNullOrWhiteSpace(list)
            ? Array.Empty<string>()
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()).ToArray();
}
