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
        var webResources = new HashSet<WebResourceSource>();
        var forms = new HashSet<string>(StringComparer.Ordinal);
        var views = new HashSet<string>(StringComparer.Ordinal);
        var charts = new HashSet<string>(StringComparer.Ordinal);
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
                    var dashboard = _source.Dashboards.FirstOrDefault(d => SourceIds.NormalizeId((string?)d.Root.Element("FormId")) == id && id is not null);
                    if (dashboard is not null)
                    {
                        Resolve(dashboards, dashboard, root, "");
                        break;
                    }

                    var form = _source.Entities.SelectMany(e => e.Forms).FirstOrDefault(f => SourceIds.NormalizeId(f.FormId) == id && id is not null);
                    if (form is null)
                    {
                        Problem(manifest, root, $"the form {{{id}}} has no Entities/<Name>/FormXml/<type>/{{{id}}}.xml and no Dashboards/{{{id}}}.xml");
                    }
                    else if (!forms.Add(id!))
                    {
                        Problem(manifest, root, "this root component is listed twice");
                    }

                    break;
                case "26":
                    ResolveId(views, FindView(id) is not null, id, root, $"the view {{{id}}} has no Entities/<Name>/SavedQueries/{{{id}}}.xml");
                    break;
                case "59":
                    ResolveId(charts, FindChart(id) is not null, id, root, $"the chart {{{id}}} has no Entities/<Name>/Visualizations/{{{id}}}.xml");
                    break;
                case "61":
                    Resolve(webResources, _source.WebResources.FirstOrDefault(w => string.Equals(w.Name, schemaName, StringComparison.Ordinal)),
                        root, $"the web resource '{schemaName}' has no WebResources/{schemaName}.data.xml");
                    break;
                case "62":
                    Resolve(siteMaps, _source.AppModuleSiteMaps.FirstOrDefault(m => (string?)m.Root.Element("SiteMapUniqueName") == schemaName),
                        root, $"the site map '{schemaName}' has no AppModuleSiteMaps/{schemaName}/AppModuleSiteMap.xml");
                    break;
                case "80":
                    Resolve(apps, _source.AppModules.FirstOrDefault(a => (string?)a.Root.Element("UniqueName") == schemaName),
                        root, $"the app '{schemaName}' has no AppModules/{schemaName}/AppModule.xml");
                    break;
                case not null when int.TryParse(type, out var code) && code >= 10000:
                    // Custom APIs (and other solution-aware tables) have per-environment type codes; an import refuses a guessed one
                    // (TALXIS/tools-devkit-templates#148). Their folders (customapis/…) are imported without a root component.
                    Problem(manifest, root, $"type {type} is a per-environment component type code; leave Custom APIs and other customapis/-style folders out of RootComponents");
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

        // A table included whole (behavior 0) brings its forms; a table included as a shell (1 or 2) ships only the forms listed.
        foreach (var entity in _source.Entities.Where(e => entities.Contains(e) && Behavior(e) != "0"))
        {
            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant && !forms.Contains(SourceIds.NormalizeId(f.FormId) ?? "")))
            {
                Problem(form.Document, null, $"the table '{entity.LogicalName}' is included without its subcomponents, so this form must be a root component in Other/Solution.xml (type 60)");
            }
        }

        // Views and charts, like forms, travel with a table included whole; a shell table ships only those listed (types 26, 59).
        foreach (var entity in _source.Entities.Where(e => entities.Contains(e) && Behavior(e) != "0"))
        {
            foreach (var view in entity.SavedQueries.Where(v => !views.Contains(SourceIds.NormalizeId((string?)v.Root.Element("savedquery")?.Element("savedqueryid")) ?? "")))
            {
                Problem(view, null, $"the table '{entity.LogicalName}' is included without its subcomponents, so this view must be a root component in Other/Solution.xml (type 26)");
            }

            foreach (var chart in entity.Visualizations.Where(c => !charts.Contains(SourceIds.NormalizeId((string?)c.Root.Element("savedqueryvisualizationid")) ?? "")))
            {
                Problem(chart, null, $"the table '{entity.LogicalName}' is included without its subcomponents, so this chart must be a root component in Other/Solution.xml (type 59)");
            }
        }

        foreach (var webResource in _source.WebResources.Where(w => !webResources.Contains(w)))
        {
            Problem(webResource.Data, null, "the web resource is not a root component in Other/Solution.xml (type 61)");
        }

        string? Behavior(EntitySource entity) => (string?)roots.FirstOrDefault(r => (string?)r.Attribute("type") == "1"
            && string.Equals((string?)r.Attribute("schemaName"), entity.LogicalName, StringComparison.OrdinalIgnoreCase))?.Attribute("behavior");

        void ResolveId(HashSet<string> resolved, bool found, string? id, XElement root, string message)
        {
            if (!found)
            {
                Problem(manifest, root, message);
            }
            else if (!resolved.Add(id!))
            {
                Problem(manifest, root, "this root component is listed twice");
            }
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
