using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>PluginAssemblies/*: the .dll.data.xml against the assembly's own metadata.</summary>
internal sealed partial class SolutionValidator
{
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

            var id = SourceIds.NormalizeId((string?)root.Attribute("PluginAssemblyId"));
            if (id is null || id != SourceIds.NormalizeId(assembly.FolderId))
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
                var typeId = SourceIds.NormalizeId((string?)type.Attribute("PluginTypeId"));
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
                else if (type.Element("WorkflowActivityGroupName") is not null)
                {
                    // A custom workflow activity: Dataverse lists it with the plug-ins, with its group name.
                    if (!found.IsWorkflowActivity || !found.IsPublic || found.IsAbstract)
                    {
                        Problem(data, type, $"the custom workflow activity '{typeName}' must be a public, non-abstract class deriving from System.Activities.CodeActivity");
                    }
                }
                else if (!found.ImplementsIPlugin || !found.IsPublic || found.IsAbstract)
                {
                    Problem(data, type, $"the plugin type '{typeName}' must be a public, non-abstract class implementing Microsoft.Xrm.Sdk.IPlugin");
                }
            }
        }

        return types;
    }
}
