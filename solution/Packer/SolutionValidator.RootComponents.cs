using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>Other/Solution.xml RootComponents: every listed component exists and every component is listed.</summary>
internal sealed partial class SolutionValidator
{
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
        var dashboards = new HashSet<SourceDocument>();
        var apps = new HashSet<SourceDocument>();
        var siteMaps = new HashSet<SourceDocument>();
        foreach (var root in roots)
        {
            var type = (string?)root.Attribute("type");
            var schemaName = (string?)root.Attribute("schemaName");
            var id = SourceIds.NormalizeId((string?)root.Attribute("id"));
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
                    Resolve(roles, _source.Roles.FirstOrDefault(r => SourceIds.NormalizeId((string?)r.Root.Attribute("id")) == id && id is not null),
                        root, $"the role {{{id}}} has no Roles/<name>.xml with that id");
                    break;
                case "91":
                    Resolve(assemblies, _source.PluginAssemblies.FirstOrDefault(a => SourceIds.NormalizeId((string?)a.Data.Root.Attribute("PluginAssemblyId")) == id && id is not null),
                        root, $"the plugin assembly {{{id}}} has no PluginAssemblies/<Name>-<GUID>/<Name>.dll.data.xml with that id");
                    break;
                case "92":
                    Resolve(steps, _source.Steps.FirstOrDefault(s => SourceIds.NormalizeId((string?)s.Root.Attribute("SdkMessageProcessingStepId")) == id && id is not null),
                        root, $"the step {{{id}}} has no SdkMessageProcessingSteps/{{{id}}}.xml");
                    break;
                case "380":
                    Resolve(variables, _source.EnvironmentVariables.FirstOrDefault(v => string.Equals(v.FolderName, schemaName, StringComparison.Ordinal)),
                        root, $"the environment variable '{schemaName}' has no environmentvariabledefinitions/{schemaName}/ folder");
                    break;
                case "60":
                    Resolve(dashboards, _source.Dashboards.FirstOrDefault(d => SourceIds.NormalizeId((string?)d.Root.Element("FormId")) == id && id is not null),
                        root, $"the dashboard {{{id}}} has no Dashboards/{{{id}}}.xml (the packer packs only dashboards as forms of type 60 at the root)");
                    break;
                case "62":
                    Resolve(siteMaps, _source.AppModuleSiteMaps.FirstOrDefault(m => (string?)m.Root.Element("SiteMapUniqueName") == schemaName),
                        root, $"the site map '{schemaName}' has no AppModuleSiteMaps/{schemaName}/AppModuleSiteMap.xml");
                    break;
                case "80":
                    Resolve(apps, _source.AppModules.FirstOrDefault(a => (string?)a.Root.Element("UniqueName") == schemaName),
                        root, $"the app '{schemaName}' has no AppModules/{schemaName}/AppModule.xml");
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

        foreach (var dashboard in _source.Dashboards.Where(d => !dashboards.Contains(d)))
        {
            Problem(dashboard, null, "the dashboard is not a root component in Other/Solution.xml (type 60)");
        }

        foreach (var siteMap in _source.AppModuleSiteMaps.Where(m => !siteMaps.Contains(m)))
        {
            Problem(siteMap, null, "the site map is not a root component in Other/Solution.xml (type 62)");
        }

        foreach (var app in _source.AppModules.Where(a => !apps.Contains(a)))
        {
            Problem(app, null, "the app is not a root component in Other/Solution.xml (type 80)");
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
}
