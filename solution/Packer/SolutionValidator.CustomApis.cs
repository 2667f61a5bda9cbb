using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// customapis/&lt;uniquename&gt;/: the Custom API, its request parameters and response properties as Dataverse exports them
/// (Microsoft Learn, "Create a custom API with solution files"), each value one the platform accepts on import.
/// </summary>
internal sealed partial class SolutionValidator
{
    private void ValidateCustomApi(CustomApiSource api, Dictionary<string, (PluginAssemblySource Assembly, XElement Type)> pluginTypes)
    {
        var root = api.Api.Root;
        if (root.Name != "customapi")
        {
            Problem(api.Api, root, $"the root element must be <customapi>, not <{root.Name}>");
            return;
        }

        var uniqueName = (string?)root.Attribute("uniquename");
        if (!string.Equals(uniqueName, api.FolderName, StringComparison.Ordinal))
        {
            Problem(api.Api, root, $"the uniquename '{uniqueName}' must be the folder's name '{api.FolderName}'");
        }

        if (uniqueName is not null && !HasPrefix(uniqueName))
        {
            Problem(api.Api, root, $"the uniquename '{uniqueName}' must start with the publisher's prefix '{_prefix}_'");
        }

        if (!string.Equals((string?)root.Element("name"), uniqueName, StringComparison.Ordinal))
        {
            Problem(api.Api, root.Element("name") ?? (XObject)root, "<name> must repeat the uniquename");
        }

        var binding = Flag(api.Api, root, "bindingtype", "0", "1", "2");
        Flag(api.Api, root, "isfunction", "0", "1");
        Flag(api.Api, root, "allowedcustomprocessingsteptype", "0", "1", "2");
        var bound = ((string?)root.Element("boundentitylogicalname"))?.Trim();
        if (binding is "1" or "2" && string.IsNullOrEmpty(bound))
        {
            Problem(api.Api, root, "a Custom API bound to a table (bindingtype 1 or 2) names it in <boundentitylogicalname>");
        }
        else if (binding == "0" && !string.IsNullOrEmpty(bound))
        {
            Problem(api.Api, root.Element("boundentitylogicalname"), "an unbound Custom API (bindingtype 0) names no <boundentitylogicalname>");
        }

        var typeElement = root.Element("plugintypeid");
        var typeId = SourceIds.NormalizeId((string?)typeElement?.Element("plugintypeid") ?? (string?)typeElement?.Element("plugintypeexportkey"));
        if (typeElement is not null && typeElement.HasElements && typeId is null)
        {
            Problem(api.Api, typeElement, "<plugintypeid> must hold the plug-in type's id (<plugintypeid> or <plugintypeexportkey>) as a GUID");
        }
        else if (typeId is not null && !pluginTypes.ContainsKey(typeId))
        {
            Problem(api.Api, typeElement, $"the plug-in type {{{typeId}}} is not a PluginType of any plug-in assembly in the solution");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in api.RequestParameters)
        {
            ValidateCustomApiPart(api, parameter, "customapirequestparameter", seen);
            Flag(parameter, parameter.Root, "isoptional", "0", "1");
        }

        foreach (var property in api.ResponseProperties)
        {
            ValidateCustomApiPart(api, property, "customapiresponseproperty", seen);
            if (property.Root.Element("isoptional") is { } optional)
            {
                // Learn: "isoptional is not valid for a response property and will cause an error when you try to import the solution".
                Problem(property, optional, "a response property has no <isoptional>; the import refuses it");
            }
        }
    }

    private void ValidateCustomApiPart(CustomApiSource api, SourceDocument part, string rootName, HashSet<string> seen)
    {
        var root = part.Root;
        if (root.Name != rootName)
        {
            Problem(part, root, $"the root element must be <{rootName}>, not <{root.Name}>");
            return;
        }

        var uniqueName = (string?)root.Attribute("uniquename");
        var folder = Path.GetFileName(Path.GetDirectoryName(part.RelativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!string.Equals(uniqueName, folder, StringComparison.Ordinal))
        {
            Problem(part, root, $"the uniquename '{uniqueName}' must be the folder's name '{folder}'");
        }

        if (uniqueName is not null && !seen.Add(rootName + ":" + uniqueName))
        {
            Problem(part, root, $"'{uniqueName}' is defined twice");
        }

        if (!string.Equals((string?)root.Element("name"), api.UniqueName + "." + uniqueName, StringComparison.Ordinal))
        {
            Problem(part, root.Element("name") ?? (XObject)root, $"<name> must be '{api.UniqueName}.{uniqueName}'");
        }

        var typeText = (string?)root.Element("type");
        if (!int.TryParse(typeText, out var type) || type < 0 || type >= SolutionRules.CustomApiTypes.Count)
        {
            Problem(part, root.Element("type") ?? (XObject)root, $"<type> '{typeText}' is not a Custom API type (0 Boolean … 12 Guid)");
            return;
        }

        var table = ((string?)root.Element("logicalentityname"))?.Trim();
        if (!string.IsNullOrEmpty(table) && !SolutionRules.CustomApiTableTypes.Contains(type))
        {
            Problem(part, root.Element("logicalentityname"), $"only Entity, EntityCollection and EntityReference name a table; this one is {SolutionRules.CustomApiTypes[type]}");
        }
    }

    /// <summary>A required 0/1/2 flag element; returns its value.</summary>
    private string? Flag(SourceDocument document, XElement root, string element, params string[] allowed)
    {
        var value = (string?)root.Element(element);
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
        {
            Problem(document, root.Element(element) ?? (XObject)root, $"<{element}> must be one of {string.Join(", ", allowed)}; found '{value ?? "(missing)"}'");
        }

        return value;
    }
}
