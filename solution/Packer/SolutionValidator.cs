using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>Checks a read solution source against the platform's rules before anything is packed.</summary>
internal sealed class SolutionValidator
{
    private readonly SolutionSource _source;
    private readonly IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> _assemblies;
    private readonly List<PackProblem> _problems;
    private string _prefix = "";
    private int _optionValuePrefix;

    public SolutionValidator(SolutionSource source, IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> assemblies, List<PackProblem> problems)
    {
        _source = source;
        _assemblies = assemblies;
        _problems = problems;
    }

    public void Validate()
    {
        if (_source.Manifest is not null)
        {
            ValidateManifest(_source.Manifest);
        }

        foreach (var entity in _source.Entities)
        {
            ValidateEntity(entity);
        }

        ValidateRelationships();
        foreach (var optionSet in _source.OptionSets)
        {
            ValidateOptionSet(optionSet);
        }

        foreach (var role in _source.Roles)
        {
            ValidateRole(role);
        }

        var pluginTypes = ValidatePluginAssemblies();
        foreach (var step in _source.Steps)
        {
            ValidateStep(step, pluginTypes);
        }

        foreach (var variable in _source.EnvironmentVariables)
        {
            ValidateEnvironmentVariable(variable);
        }

        ValidateRootComponents();
        ValidateUniqueIds();
    }

    private void Problem(SourceDocument document, XObject? at, string message)
    {
        int? line = at is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;
        _problems.Add(new PackProblem(document.RelativePath, message, line));
    }

    private void ValidateManifest(SourceDocument manifest)
    {
        var root = manifest.Root;
        var sm = root.Element("SolutionManifest");
        if (root.Name != "ImportExportXml" || sm is null)
        {
            Problem(manifest, root, "the root must be <ImportExportXml> holding a <SolutionManifest>");
            return;
        }

        var uniqueName = (string?)sm.Element("UniqueName") ?? "";
        if (!SolutionRules.UniqueName().IsMatch(uniqueName))
        {
            Problem(manifest, sm.Element("UniqueName") ?? (XObject)sm, $"UniqueName '{uniqueName}' must be letters, digits and underscores, not starting with a digit");
        }

        var version = (string?)sm.Element("Version") ?? "";
        if (!SolutionRules.FourPartVersion().IsMatch(version))
        {
            Problem(manifest, sm.Element("Version") ?? (XObject)sm, $"Version '{version}' must have four numeric parts, major.minor.build.revision (e.g. 1.0.0.0)");
        }

        var managed = (string?)sm.Element("Managed");
        if (managed is not ("0" or "1" or "2"))
        {
            Problem(manifest, sm.Element("Managed") ?? (XObject)sm, $"Managed '{managed}' must be 0 (unmanaged), 1 (managed) or 2 (source for both)");
        }

        var publisher = sm.Element("Publisher");
        if (publisher is null)
        {
            Problem(manifest, sm, "the manifest has no <Publisher>");
            return;
        }

        var publisherName = (string?)publisher.Element("UniqueName") ?? "";
        if (!SolutionRules.UniqueName().IsMatch(publisherName))
        {
            Problem(manifest, publisher, $"publisher UniqueName '{publisherName}' must be letters, digits and underscores, not starting with a digit");
        }

        _prefix = (string?)publisher.Element("CustomizationPrefix") ?? "";
        if (!SolutionRules.IsValidPrefix(_prefix))
        {
            Problem(manifest, publisher.Element("CustomizationPrefix") ?? (XObject)publisher,
                $"CustomizationPrefix '{_prefix}' must be 2 to 8 letters or digits, start with a letter and not start with 'mscrm'");
        }

        var optionPrefix = (string?)publisher.Element("CustomizationOptionValuePrefix");
        if (!int.TryParse(optionPrefix, NumberStyles.None, CultureInfo.InvariantCulture, out _optionValuePrefix)
            || !SolutionRules.IsValidOptionValuePrefix(_optionValuePrefix))
        {
            Problem(manifest, publisher.Element("CustomizationOptionValuePrefix") ?? (XObject)publisher,
                $"CustomizationOptionValuePrefix '{optionPrefix}' must be a number from 10000 to 99999");
            _optionValuePrefix = 0;
        }
    }

    private bool HasPrefix(string name) => _prefix.Length > 0 && name.StartsWith(_prefix + "_", StringComparison.OrdinalIgnoreCase);

    private void ValidateEntity(EntitySource entity)
    {
        var document = entity.Entity;
        if (document.Root.Name != "Entity" || document.Root.Element("Name") is null)
        {
            Problem(document, document.Root, "the root must be <Entity> with a <Name>");
            return;
        }

        if (!string.Equals(entity.SchemaName, entity.FolderName, StringComparison.OrdinalIgnoreCase))
        {
            Problem(document, document.Root.Element("Name"), $"the entity is named '{entity.SchemaName}' but its folder is '{entity.FolderName}'");
        }

        if (entity.Info is null)
        {
            Problem(document, document.Root, "the entity has no <EntityInfo><entity> element");
            return;
        }

        if (entity.IsDefinedHere && !HasPrefix(entity.SchemaName))
        {
            Problem(document, document.Root.Element("Name"), $"the table '{entity.SchemaName}' is defined by this solution, so its name must start with the publisher prefix '{_prefix}_'");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in entity.Attributes)
        {
            var physical = (string?)attribute.Attribute("PhysicalName") ?? "";
            var logical = EntitySource.AttributeLogicalName(attribute);
            var type = (string?)attribute.Element("Type") ?? "";
            if (!seen.Add(logical))
            {
                Problem(document, attribute, $"the column '{logical}' is defined twice");
            }

            if (!SolutionRules.AttributeTypes.Contains(type))
            {
                Problem(document, attribute, $"the column '{physical}' has an unknown type '{type}'");
            }

            if (!string.Equals(physical, logical, StringComparison.OrdinalIgnoreCase))
            {
                Problem(document, attribute, $"the column's PhysicalName '{physical}' and LogicalName '{logical}' differ by more than case");
            }

            var custom = (string?)attribute.Element("IsCustomField") == "1";
            if (custom && !HasPrefix(physical))
            {
                Problem(document, attribute, $"the custom column '{physical}' must start with the publisher prefix '{_prefix}_'");
            }

            if (type is "picklist" or "multiselectpicklist")
            {
                ValidatePicklist(document, attribute, physical, custom);
            }
        }

        foreach (var form in entity.Forms)
        {
            var formId = form.Document.Root.Descendants("formid").FirstOrDefault();
            if (SolutionRules.NormalizeId((string?)formId) is not { } id || id != SolutionRules.NormalizeId(form.FormId))
            {
                Problem(form.Document, formId ?? (XObject)form.Document.Root, "the form's <formid> must be a GUID equal to its file name");
            }
        }

        foreach (var view in entity.SavedQueries)
        {
            var queryId = view.Root.Descendants("savedqueryid").FirstOrDefault();
            if (SolutionRules.NormalizeId((string?)queryId) is not { } id
                || id != SolutionRules.NormalizeId(Path.GetFileNameWithoutExtension(view.RelativePath)))
            {
                Problem(view, queryId ?? (XObject)view.Root, "the view's <savedqueryid> must be a GUID equal to its file name");
            }
        }
    }

    private void ValidatePicklist(SourceDocument document, XElement attribute, string physical, bool custom)
    {
        var globalName = (string?)attribute.Element("OptionSetName");
        var local = attribute.Element("optionset");
        if (globalName is not null)
        {
            if (HasPrefix(globalName) && !_source.OptionSets.Any(o => string.Equals((string?)o.Root.Attribute("Name"), globalName, StringComparison.OrdinalIgnoreCase)))
            {
                Problem(document, attribute, $"the choice column '{physical}' uses the global choice '{globalName}', which is not in OptionSets/");
            }

            return;
        }

        if (local is null)
        {
            Problem(document, attribute, $"the choice column '{physical}' has neither <OptionSetName> (global choice) nor an <optionset> (local choice)");
            return;
        }

        if (custom)
        {
            ValidateOptions(document, local, $"the choice column '{physical}'");
        }
    }

    private void ValidateOptions(SourceDocument document, XElement optionSet, string what)
    {
        var values = new HashSet<long>();
        foreach (var option in optionSet.Element("options")?.Elements("option") ?? [])
        {
            var text = (string?)option.Attribute("value");
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Problem(document, option, $"{what} has an option value '{text}' that is not a number");
                continue;
            }

            if (!values.Add(value))
            {
                Problem(document, option, $"{what} has the option value {value} twice");
            }

            if (_optionValuePrefix != 0 && !SolutionRules.HasOptionValuePrefix(value, _optionValuePrefix))
            {
                Problem(document, option, $"{what} has the option value {value}, which does not start with the publisher's option value prefix {_optionValuePrefix}");
            }
        }

        if (values.Count == 0)
        {
            Problem(document, optionSet, $"{what} has no options");
        }
    }

    private void ValidateRelationships()
    {
        var names = new Dictionary<string, SourceDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in _source.RelationshipFiles)
        {
            if (file.Root.Name != "EntityRelationships")
            {
                Problem(file, file.Root, "the root must be <EntityRelationships>");
                continue;
            }

            foreach (var relationship in file.Root.Elements("EntityRelationship"))
            {
                var name = (string?)relationship.Attribute("Name") ?? "";
                if (!names.TryAdd(name, file))
                {
                    Problem(file, relationship, $"the relationship '{name}' is defined twice (also in {names[name].RelativePath})");
                }

                var referenced = (string?)relationship.Element("ReferencedEntityName") ?? "";
                var referencing = (string?)relationship.Element("ReferencingEntityName") ?? "";
                var attributeName = (string?)relationship.Element("ReferencingAttributeName") ?? "";
                if ((string?)relationship.Element("EntityRelationshipType") == "OneToMany"
                    && !string.Equals(Path.GetFileNameWithoutExtension(file.RelativePath), referenced, StringComparison.OrdinalIgnoreCase))
                {
                    Problem(file, relationship, $"the one-to-many relationship '{name}' belongs in Other/Relationships/{referenced}.xml, the file of the referenced table");
                }

                if (_source.FindEntity(referencing) is { } entity)
                {
                    var attribute = entity.FindAttribute(attributeName);
                    if (attribute is null)
                    {
                        if (entity.IsDefinedHere || HasPrefix(attributeName))
                        {
                            Problem(file, relationship, $"the relationship '{name}' names the lookup '{attributeName}', which is not a column of '{referencing}'");
                        }
                    }
                    else if (!SolutionRules.LookupTypes.Contains((string?)attribute.Element("Type") ?? ""))
                    {
                        Problem(file, relationship, $"the relationship '{name}' names '{attributeName}', which is a {(string?)attribute.Element("Type")} column, not a lookup");
                    }
                }
            }
        }

        if (_source.RelationshipIndex is { } index)
        {
            var listed = index.Root.Elements("EntityRelationship").Select(e => (string?)e.Attribute("Name") ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var missing in names.Keys.Where(n => !listed.Contains(n)).Order(StringComparer.Ordinal))
            {
                Problem(index, index.Root, $"the relationship '{missing}' (in {names[missing].RelativePath}) is not listed here");
            }

            foreach (var extra in listed.Where(n => !names.ContainsKey(n)).Order(StringComparer.Ordinal))
            {
                Problem(index, index.Root, $"lists the relationship '{extra}', which no file under Other/Relationships/ defines");
            }
        }

        // Every custom lookup needs its relationship: that is where its target table is declared.
        foreach (var entity in _source.Entities)
        {
            foreach (var attribute in entity.Attributes.Where(a => (string?)a.Element("Type") == "lookup" && (string?)a.Element("IsCustomField") == "1"))
            {
                var logical = EntitySource.AttributeLogicalName(attribute);
                var declared = _source.Relationships.Any(r =>
                    string.Equals((string?)r.Element("ReferencingEntityName"), entity.SchemaName, StringComparison.OrdinalIgnoreCase)
                    && string.Equals((string?)r.Element("ReferencingAttributeName"), logical, StringComparison.OrdinalIgnoreCase));
                if (!declared)
                {
                    Problem(entity.Entity, attribute, $"the lookup '{logical}' has no relationship in Other/Relationships/, so its target table is unknown");
                }
            }
        }
    }

    private void ValidateOptionSet(SourceDocument optionSet)
    {
        var name = (string?)optionSet.Root.Attribute("Name") ?? "";
        if (optionSet.Root.Name != "optionset")
        {
            Problem(optionSet, optionSet.Root, "the root must be <optionset>");
            return;
        }

        if (!string.Equals(name, Path.GetFileNameWithoutExtension(optionSet.RelativePath), StringComparison.OrdinalIgnoreCase))
        {
            Problem(optionSet, optionSet.Root, $"the choice is named '{name}' but its file is {Path.GetFileName(optionSet.RelativePath)}");
        }

        if (!HasPrefix(name))
        {
            Problem(optionSet, optionSet.Root, $"the global choice '{name}' must start with the publisher prefix '{_prefix}_'");
        }

        ValidateOptions(optionSet, optionSet.Root, $"the global choice '{name}'");
    }

    private void ValidateRole(SourceDocument role)
    {
        if (role.Root.Name != "Role" || SolutionRules.NormalizeId((string?)role.Root.Attribute("id")) is null)
        {
            Problem(role, role.Root, "the root must be <Role id=\"{guid}\" name=\"…\">");
            return;
        }

        var name = (string?)role.Root.Attribute("name") ?? "";
        if (!string.Equals(name, Path.GetFileNameWithoutExtension(role.RelativePath), StringComparison.Ordinal))
        {
            Problem(role, role.Root, $"the role is named '{name}' but its file is {Path.GetFileName(role.RelativePath)}");
        }

        var privileges = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var privilege in role.Root.Element("RolePrivileges")?.Elements("RolePrivilege") ?? [])
        {
            var privilegeName = (string?)privilege.Attribute("name") ?? "";
            var level = (string?)privilege.Attribute("level") ?? "";
            if (!privilegeName.StartsWith("prv", StringComparison.Ordinal))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' must be named prv<Action><Table>");
            }

            if (!SolutionRules.PrivilegeLevels.Contains(level))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' has level '{level}'; use Basic, Local, Deep or Global");
            }

            if (!privileges.Add(privilegeName))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' is listed twice");
            }
        }
    }

    /// <summary>Returns the plugin types by normalized id.</summary>
    private Dictionary<string, (PluginAssemblySource Assembly, XElement Type)> ValidatePluginAssemblies()
    {
        var types = new Dictionary<string, (PluginAssemblySource, XElement)>();
        foreach (var assembly in _source.PluginAssemblies)
        {
            var data = assembly.Data;
            var root = data.Root;
            if (root.Name != "PluginAssembly")
            {
                Problem(data, root, "the root must be <PluginAssembly>");
                continue;
            }

            var id = SolutionRules.NormalizeId((string?)root.Attribute("PluginAssemblyId"));
            if (id is null || id != SolutionRules.NormalizeId(assembly.FolderId))
            {
                Problem(data, root, $"PluginAssemblyId must be a GUID equal to the one in the folder name '{assembly.FolderName}' (<Name>-<GUID>)");
            }

            var expectedFile = $"/{SolutionSource.PluginAssembliesFolder}/{assembly.FolderName}/{assembly.DllFileName}";
            if ((string?)root.Element("FileName") != expectedFile)
            {
                Problem(data, root.Element("FileName") ?? (XObject)root, $"FileName must be '{expectedFile}'");
            }

            _assemblies.TryGetValue(assembly, out var metadata);
            if (metadata is not null && !string.Equals(metadata.Name, assembly.Name, StringComparison.Ordinal))
            {
                Problem(data, root, $"the built assembly is named '{metadata.Name}', but the folder says '{assembly.Name}'");
            }

            foreach (var type in root.Element("PluginTypes")?.Elements("PluginType") ?? [])
            {
                var typeName = (string?)type.Attribute("Name") ?? "";
                var typeId = SolutionRules.NormalizeId((string?)type.Attribute("PluginTypeId"));
                if (typeId is null)
                {
                    Problem(data, type, $"the plugin type '{typeName}' has no PluginTypeId GUID");
                }
                else
                {
                    types.TryAdd(typeId, (assembly, type));
                }

                if (type.Element("FriendlyName") is null)
                {
                    Problem(data, type, $"the plugin type '{typeName}' needs a <FriendlyName>");
                }

                if (metadata is null)
                {
                    continue;
                }

                var found = metadata.FindType(typeName);
                if (found is null)
                {
                    Problem(data, type, $"the plugin type '{typeName}' does not exist in {Path.GetFileName(metadata.Path)}");
                }
                else if (!found.ImplementsIPlugin || !found.IsPublic || found.IsAbstract)
                {
                    Problem(data, type, $"the plugin type '{typeName}' must be a public, non-abstract class implementing Microsoft.Xrm.Sdk.IPlugin");
                }
            }
        }

        return types;
    }

    private void ValidateStep(SourceDocument step, Dictionary<string, (PluginAssemblySource Assembly, XElement Type)> pluginTypes)
    {
        var root = step.Root;
        if (root.Name != "SdkMessageProcessingStep")
        {
            Problem(step, root, "the root must be <SdkMessageProcessingStep>");
            return;
        }

        var id = SolutionRules.NormalizeId((string?)root.Attribute("SdkMessageProcessingStepId"));
        if (id is null || id != SolutionRules.NormalizeId(Path.GetFileNameWithoutExtension(step.RelativePath)))
        {
            Problem(step, root, "SdkMessageProcessingStepId must be a GUID equal to the file name {guid}.xml");
        }

        var typeId = SolutionRules.NormalizeId((string?)root.Element("PluginTypeId"));
        var typeName = ((string?)root.Element("PluginTypeName") ?? "").Split(',')[0].Trim();
        if (typeId is null || !pluginTypes.TryGetValue(typeId, out var pluginType))
        {
            Problem(step, root.Element("PluginTypeId") ?? (XObject)root, $"PluginTypeId '{(string?)root.Element("PluginTypeId")}' names no plugin type of any PluginAssemblies/*/*.dll.data.xml");
        }
        else if (!string.Equals((string?)pluginType.Type.Attribute("Name"), typeName, StringComparison.Ordinal))
        {
            Problem(step, root.Element("PluginTypeName"), $"PluginTypeName names '{typeName}', but PluginTypeId is the type '{(string?)pluginType.Type.Attribute("Name")}'");
        }

        var messageId = SolutionRules.NormalizeId((string?)root.Element("SdkMessageId"));
        if (messageId is null)
        {
            Problem(step, root.Element("SdkMessageId") ?? (XObject)root, "SdkMessageId must be the GUID of the message");
        }

        var message = messageId is not null && SolutionRules.KnownMessages.TryGetValue(messageId, out var known) ? known : null;
        var primaryEntity = (string?)root.Element("PrimaryEntity") ?? "";
        var stageText = (string?)root.Element("Stage");
        var modeText = (string?)root.Element("Mode");
        if (!int.TryParse(stageText, CultureInfo.InvariantCulture, out var stage) || !SolutionRules.Stages.Contains(stage))
        {
            Problem(step, root.Element("Stage") ?? (XObject)root, $"Stage '{stageText}' must be 10 (PreValidation), 20 (PreOperation) or 40 (PostOperation)");
        }

        if (modeText is not ("0" or "1"))
        {
            Problem(step, root.Element("Mode") ?? (XObject)root, $"Mode '{modeText}' must be 0 (synchronous) or 1 (asynchronous)");
        }
        else if (modeText == "1" && stage != 40)
        {
            Problem(step, root.Element("Mode"), "an asynchronous step (Mode 1) must be registered in stage 40 (PostOperation)");
        }

        if (!int.TryParse((string?)root.Element("Rank"), CultureInfo.InvariantCulture, out _))
        {
            Problem(step, root.Element("Rank") ?? (XObject)root, "Rank must be a whole number (the execution order)");
        }

        var entity = _source.FindEntity(primaryEntity);
        CheckColumns(step, root.Element("FilteringAttributes"), entity, primaryEntity, "filtering attribute");
        foreach (var image in root.Element("SdkMessageProcessingStepImages")?.Elements("SdkMessageProcessingStepImage") ?? [])
        {
            var imageName = (string?)image.Attribute("Name") ?? "";
            if (SolutionRules.NormalizeId((string?)image.Element("SdkMessageProcessingStepImageId")) is null)
            {
                Problem(step, image, $"the image '{imageName}' needs a SdkMessageProcessingStepImageId GUID");
            }

            if (string.IsNullOrWhiteSpace((string?)image.Element("EntityAlias")))
            {
                Problem(step, image, $"the image '{imageName}' needs an EntityAlias");
            }

            var imageType = (string?)image.Element("ImageType");
            if (imageType is not ("0" or "1" or "2"))
            {
                Problem(step, image, $"the image '{imageName}' has ImageType '{imageType}'; use 0 (pre), 1 (post) or 2 (both)");
            }

            if (message == "Create" && imageType is "0" or "2")
            {
                Problem(step, image, $"the image '{imageName}' is a pre-image on Create, which Dataverse does not provide");
            }

            if (imageType is "1" or "2" && stage != 40)
            {
                Problem(step, image, $"the image '{imageName}' is a post-image, which exists only in stage 40 (PostOperation)");
            }

            CheckColumns(step, image.Element("Attributes"), entity, primaryEntity, $"column of the image '{imageName}'");
        }
    }

    private void CheckColumns(SourceDocument document, XElement? list, EntitySource? entity, string entityName, string what)
    {
        var text = (string?)list ?? "";
        foreach (var column in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (column != column.ToLowerInvariant())
            {
                Problem(document, list, $"the {what} '{column}' must be a logical name (lower case)");
            }

            // A table defined here lists every column; a shell of a system table lists only the columns this solution adds.
            var mustExist = entity is not null && (entity.IsDefinedHere || HasPrefix(column));
            if (mustExist && entity!.FindAttribute(column) is null)
            {
                Problem(document, list, $"the {what} '{column}' is not a column of '{entityName}'");
            }
            else if (entity is null && HasPrefix(column))
            {
                Problem(document, list, $"the {what} '{column}' belongs to this solution, but the table '{entityName}' is not in Entities/");
            }
        }
    }

    private void ValidateEnvironmentVariable(EnvironmentVariableSource variable)
    {
        var document = variable.Definition;
        var root = document.Root;
        var schemaName = (string?)root.Attribute("schemaname") ?? "";
        if (root.Name != "environmentvariabledefinition")
        {
            Problem(document, root, "the root must be <environmentvariabledefinition schemaname=\"…\">");
            return;
        }

        if (!string.Equals(schemaName, variable.FolderName, StringComparison.Ordinal))
        {
            Problem(document, root, $"schemaname '{schemaName}' must equal the folder name '{variable.FolderName}'");
        }

        if (!HasPrefix(schemaName))
        {
            Problem(document, root, $"the environment variable '{schemaName}' must start with the publisher prefix '{_prefix}_'");
        }

        var typeText = (string?)root.Element("type");
        if (!int.TryParse(typeText, CultureInfo.InvariantCulture, out var type)
            || type < SolutionRules.EnvironmentVariableTypeString || type > SolutionRules.EnvironmentVariableTypeSecret)
        {
            Problem(document, root.Element("type") ?? (XObject)root, $"type '{typeText}' must be 100000000 (String) to 100000005 (Secret)");
            return;
        }

        var defaultValue = (string?)root.Element("defaultvalue");
        if (defaultValue is null)
        {
            return;
        }

        if (type == SolutionRules.EnvironmentVariableTypeBoolean && !SolutionRules.BooleanEnvironmentValues.Contains(defaultValue))
        {
            Problem(document, root.Element("defaultvalue"), $"a Boolean environment variable stores 'yes' or 'no'; the default is '{defaultValue}'");
        }

        if (type == SolutionRules.EnvironmentVariableTypeNumber
            && !decimal.TryParse(defaultValue, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
        {
            Problem(document, root.Element("defaultvalue"), $"a Number environment variable needs a numeric default; the default is '{defaultValue}'");
        }
    }

    private void ValidateRootComponents()
    {
        if (_source.Manifest?.Root.Element("SolutionManifest") is not { } sm)
        {
            return;
        }

        var manifest = _source.Manifest;
        var roots = sm.Element("RootComponents")?.Elements("RootComponent").ToList() ?? [];
        var entities = new HashSet<EntitySource>();
        var optionSets = new HashSet<SourceDocument>();
        var roles = new HashSet<SourceDocument>();
        var assemblies = new HashSet<PluginAssemblySource>();
        var steps = new HashSet<SourceDocument>();
        var variables = new HashSet<EnvironmentVariableSource>();
        foreach (var root in roots)
        {
            var type = (string?)root.Attribute("type");
            var schemaName = (string?)root.Attribute("schemaName");
            var id = SolutionRules.NormalizeId((string?)root.Attribute("id"));
            var behavior = (string?)root.Attribute("behavior");
            if (behavior is not (null or "0" or "1" or "2"))
            {
                Problem(manifest, root, $"behavior '{behavior}' must be 0 (include subcomponents), 1 (do not include subcomponents) or 2 (shell only)");
            }

            switch (type)
            {
                case "1":
                    Resolve(entities, _source.Entities.FirstOrDefault(e => string.Equals(e.LogicalName, schemaName, StringComparison.OrdinalIgnoreCase)),
                        root, $"the table '{schemaName}' has no Entities/<name>/Entity.xml");
                    break;
                case "9":
                    Resolve(optionSets, _source.OptionSets.FirstOrDefault(o => string.Equals((string?)o.Root.Attribute("Name"), schemaName, StringComparison.OrdinalIgnoreCase)),
                        root, $"the global choice '{schemaName}' has no OptionSets/{schemaName}.xml");
                    break;
                case "20":
                    Resolve(roles, _source.Roles.FirstOrDefault(r => SolutionRules.NormalizeId((string?)r.Root.Attribute("id")) == id && id is not null),
                        root, $"the role {{{id}}} has no Roles/<name>.xml with that id");
                    break;
                case "91":
                    Resolve(assemblies, _source.PluginAssemblies.FirstOrDefault(a => SolutionRules.NormalizeId((string?)a.Data.Root.Attribute("PluginAssemblyId")) == id && id is not null),
                        root, $"the plugin assembly {{{id}}} has no PluginAssemblies/<Name>-<GUID>/<Name>.dll.data.xml with that id");
                    break;
                case "92":
                    Resolve(steps, _source.Steps.FirstOrDefault(s => SolutionRules.NormalizeId((string?)s.Root.Attribute("SdkMessageProcessingStepId")) == id && id is not null),
                        root, $"the step {{{id}}} has no SdkMessageProcessingSteps/{{{id}}}.xml");
                    break;
                case "380":
                    Resolve(variables, _source.EnvironmentVariables.FirstOrDefault(v => string.Equals(v.FolderName, schemaName, StringComparison.Ordinal)),
                        root, $"the environment variable '{schemaName}' has no environmentvariabledefinitions/{schemaName}/ folder");
                    break;
                default:
                    Problem(manifest, root, $"the packer does not support root components of type {type}");
                    break;
            }
        }

        // The other direction: a component in the folder that no root component includes would be silently dropped by the import.
        foreach (var entity in _source.Entities.Where(e => !entities.Contains(e)))
        {
            Problem(entity.Entity, null, $"the table '{entity.LogicalName}' is not a root component in Other/Solution.xml (type 1)");
        }

        foreach (var optionSet in _source.OptionSets.Where(o => !optionSets.Contains(o)))
        {
            Problem(optionSet, null, "the global choice is not a root component in Other/Solution.xml (type 9)");
        }

        foreach (var role in _source.Roles.Where(r => !roles.Contains(r)))
        {
            Problem(role, null, "the role is not a root component in Other/Solution.xml (type 20)");
        }

        foreach (var assembly in _source.PluginAssemblies.Where(a => !assemblies.Contains(a)))
        {
            Problem(assembly.Data, null, "the plugin assembly is not a root component in Other/Solution.xml (type 91)");
        }

        foreach (var step in _source.Steps.Where(s => !steps.Contains(s)))
        {
            Problem(step, null, "the step is not a root component in Other/Solution.xml (type 92)");
        }

        foreach (var variable in _source.EnvironmentVariables.Where(v => !variables.Contains(v)))
        {
            Problem(variable.Definition, null, "the environment variable is not a root component in Other/Solution.xml (type 380)");
        }

        void Resolve<T>(HashSet<T> resolved, T? found, XElement root, string message)
        {
            if (found is null)
            {
                Problem(manifest, root, message);
            }
            else if (!resolved.Add(found))
            {
                Problem(manifest, root, "this root component is listed twice");
            }
        }
    }

    private void ValidateUniqueIds()
    {
        var seen = new Dictionary<string, string>();
        void Add(SourceDocument document, string? raw, string what)
        {
            if (SolutionRules.NormalizeId(raw) is not { } id)
            {
                return;
            }

            if (seen.TryGetValue(id, out var first))
            {
                Problem(document, null, $"the id {{{id}}} of {what} is already used by {first}; every id must be unique");
            }
            else
            {
                seen[id] = $"{what} in {document.RelativePath}";
            }
        }

        foreach (var assembly in _source.PluginAssemblies)
        {
            Add(assembly.Data, (string?)assembly.Data.Root.Attribute("PluginAssemblyId"), "the plugin assembly");
            foreach (var type in assembly.Data.Root.Element("PluginTypes")?.Elements("PluginType") ?? [])
            {
                Add(assembly.Data, (string?)type.Attribute("PluginTypeId"), $"the plugin type '{(string?)type.Attribute("Name")}'");
            }
        }

        foreach (var step in _source.Steps)
        {
            Add(step, (string?)step.Root.Attribute("SdkMessageProcessingStepId"), "the step");
            foreach (var image in step.Root.Descendants("SdkMessageProcessingStepImage"))
            {
                Add(step, (string?)image.Element("SdkMessageProcessingStepImageId"), $"the image '{(string?)image.Attribute("Name")}'");
            }
        }

        foreach (var role in _source.Roles)
        {
            Add(role, (string?)role.Root.Attribute("id"), "the role");
        }

        foreach (var entity in _source.Entities)
        {
            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant))
            {
                Add(form.Document, (string?)form.Document.Root.Descendants("formid").FirstOrDefault(), "the form");
            }

            foreach (var view in entity.SavedQueries)
            {
                Add(view, (string?)view.Root.Descendants("savedqueryid").FirstOrDefault(), "the view");
            }
        }
    }
}
