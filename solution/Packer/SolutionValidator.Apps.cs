using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// Charts (Entities/*/Visualizations), dashboards (Dashboards/), model-driven apps (AppModules/) and their site maps
/// (AppModuleSiteMaps/): ids match file names, every column a chart names exists, every view and chart a dashboard shows
/// is in the solution, and every app component, role and site map entry resolves to a component of the solution.
/// </summary>
internal sealed partial class SolutionValidator
{
    /// <summary>systemform.type 0 is a dashboard; AppModuleComponent and RootComponent types (solutioncomponent.componenttype choices).</summary>
    private const string EntityComponent = "1";
    private const string ViewComponent = "26";
    private const string ChartComponent = "59";
    private const string FormComponent = "60";
    private const string SiteMapComponent = "62";

    private void ValidateCharts(EntitySource entity)
    {
        if (entity.Visualizations.Count > 0 && entity.Entity.Root.Element("Visualizations") is null)
        {
            Problem(entity.Entity, entity.Entity.Root, "the table has charts in Visualizations/ but Entity.xml has no <Visualizations /> element to carry them");
        }

        foreach (var chart in entity.Visualizations)
        {
            var root = chart.Root;
            if (root.Name != "visualization")
            {
                Problem(chart, root, "a chart file's root must be <visualization>");
                continue;
            }

            var id = root.Element("savedqueryvisualizationid");
            if (SourceIds.NormalizeId((string?)id) is not { } chartId || chartId != SourceIds.NormalizeId(Path.GetFileNameWithoutExtension(chart.RelativePath)))
            {
                Problem(chart, id ?? (XObject)root, "the chart's <savedqueryvisualizationid> must be a GUID equal to its file name");
            }

            if (CustomizationName(root) is null)
            {
                Problem(chart, root, "the chart has no <LocalizedNames><LocalizedName description=…>");
            }

            var definition = root.Element("datadescription")?.Element("datadefinition");
            var fetch = definition?.Element("fetchcollection")?.Element("fetch");
            var fetchEntity = fetch?.Element("entity");
            if (fetchEntity is null)
            {
                Problem(chart, root, "the chart has no <datadescription><datadefinition><fetchcollection><fetch><entity>");
                continue;
            }

            if ((string?)fetch!.Attribute("aggregate") != "true")
            {
                Problem(chart, fetch, "a chart's FetchXML must be aggregate=\"true\"");
            }

            if (!string.Equals((string?)fetchEntity.Attribute("name"), entity.LogicalName, StringComparison.OrdinalIgnoreCase))
            {
                Problem(chart, fetchEntity, $"the chart's FetchXML queries '{(string?)fetchEntity.Attribute("name")}' but the chart belongs to '{entity.LogicalName}'");
                continue;
            }

            var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            CollectAliases(fetchEntity, aliases);
            CheckFetchNode(chart, fetchEntity, entity.LogicalName, alias: null, aliases, []);
            var aggregates = fetchEntity.Descendants("attribute").Where(a => a.Attribute("aggregate") is not null)
                .Select(a => (string?)a.Attribute("alias")).ToHashSet(StringComparer.Ordinal);
            foreach (var measure in definition!.Descendants("measure"))
            {
                if (!aggregates.Contains((string?)measure.Attribute("alias")))
                {
                    Problem(chart, measure, $"the measure '{(string?)measure.Attribute("alias")}' is not the alias of an aggregate attribute of the chart's FetchXML");
                }
            }

            if (!fetchEntity.Descendants("attribute").Any(a => (string?)a.Attribute("groupby") == "true"))
            {
                Problem(chart, fetchEntity, "the chart's FetchXML groups by nothing (no attribute with groupby=\"true\"), so it has no category");
            }
        }
    }

    private void ValidateDashboard(SourceDocument dashboard)
    {
        var root = dashboard.Root;
        if (root.Name != "Dashboard")
        {
            Problem(dashboard, root, "a dashboard file's root must be <Dashboard>");
            return;
        }

        var id = root.Element("FormId");
        if (SourceIds.NormalizeId((string?)id) is not { } formId || formId != SourceIds.NormalizeId(Path.GetFileNameWithoutExtension(dashboard.RelativePath)))
        {
            Problem(dashboard, id ?? (XObject)root, "the dashboard's <FormId> must be a GUID equal to its file name");
        }

        if (CustomizationName(root) is null)
        {
            Problem(dashboard, root, "the dashboard has no <LocalizedNames><LocalizedName description=…>");
        }

        if (root.Element("FormXml")?.Element("forms") is not { } forms || (string?)forms.Attribute("type") != "dashboard" || forms.Element("form") is null)
        {
            Problem(dashboard, root, "the dashboard needs <FormXml><forms type=\"dashboard\"><form>");
            return;
        }

        foreach (var parameters in forms.Descendants("parameters"))
        {
            var target = (string?)parameters.Element("TargetEntityType");
            if ((string?)parameters.Element("ViewId") is { } viewText)
            {
                var view = FindView(viewText);
                if (view is null)
                {
                    Problem(dashboard, parameters, $"the dashboard shows the view {viewText}, which is not a view of this solution");
                }
                else if (!string.Equals(view.Value.Table, target, StringComparison.OrdinalIgnoreCase))
                {
                    Problem(dashboard, parameters, $"the view {viewText} is a view of '{view.Value.Table}', but the control's TargetEntityType is '{target}'");
                }
            }

            if ((string?)parameters.Element("VisualizationId") is { } chartText)
            {
                var chart = FindChart(chartText);
                if (chart is null)
                {
                    Problem(dashboard, parameters, $"the dashboard shows the chart {chartText}, which is not a chart of this solution");
                }
                else if (!string.Equals(chart.Value.Table, target, StringComparison.OrdinalIgnoreCase))
                {
                    Problem(dashboard, parameters, $"the chart {chartText} is a chart of '{chart.Value.Table}', but the control's TargetEntityType is '{target}'");
                }
            }
        }

        ValidateSpannedRows(dashboard, forms);
    }

    /// <summary>
    /// A cell of rowspan N covers its row and the next N - 1 rows of its section, which Dataverse writes as empty
    /// <c>&lt;row /&gt;</c> elements (Microsoft's default dashboards and exported forms alike); without them the components
    /// of the next row would be laid over the spanned ones.
    /// </summary>
    private void ValidateSpannedRows(SourceDocument dashboard, XElement forms)
    {
        foreach (var section in forms.Descendants("section"))
        {
            var rows = section.Element("rows")?.Elements("row").ToList() ?? [];
            for (var i = 0; i < rows.Count; i++)
            {
                var span = rows[i].Elements("cell").Select(c => int.TryParse((string?)c.Attribute("rowspan"), out var n) ? n : 1).DefaultIfEmpty(1).Max();
                var covered = rows.Skip(i + 1).Take(span - 1).ToList();
                if (covered.Count < span - 1 || covered.Any(r => r.Elements("cell").Any()))
                {
                    Problem(dashboard, rows[i], $"a cell of section '{(string?)section.Attribute("name")}' spans {span} rows, so the {span - 1} rows after it must be empty <row /> elements, as exports write them");
                }

                i += covered.Count;
            }
        }
    }

    private void ValidateAppModule(SourceDocument app)
    {
        var root = app.Root;
        var uniqueName = (string?)root.Element("UniqueName") ?? "";
        var folder = Path.GetFileName(Path.GetDirectoryName(app.RelativePath)) ?? "";
        if (root.Name != "AppModule" || uniqueName != folder)
        {
            Problem(app, root, $"an app file is AppModules/<UniqueName>/AppModule.xml with root <AppModule> and <UniqueName>{folder}</UniqueName>");
            return;
        }

        if (!HasPrefix(uniqueName))
        {
            Problem(app, root.Element("UniqueName"), $"the app's unique name '{uniqueName}' must start with the publisher prefix '{_prefix}_'");
        }

        if (CustomizationName(root) is null)
        {
            Problem(app, root, "the app has no <LocalizedNames><LocalizedName description=…>");
        }

        foreach (var component in root.Element("AppModuleComponents")?.Elements("AppModuleComponent") ?? [])
        {
            var type = (string?)component.Attribute("type");
            var schemaName = (string?)component.Attribute("schemaName");
            var id = (string?)component.Attribute("id");
            var resolved = type switch
            {
                EntityComponent => _source.FindEntity(schemaName ?? "") is not null,
                ViewComponent => FindView(id) is not null,
                ChartComponent => FindChart(id) is not null,
                FormComponent => FindForm(id),
                SiteMapComponent => _source.AppModuleSiteMaps.Any(m => (string?)m.Root.Element("SiteMapUniqueName") == schemaName),
                _ => (bool?)null,
            };
            if (resolved is null)
            {
                Problem(app, component, $"the packer cannot check app components of type {type}; it knows tables (1), views (26), charts (59), forms and dashboards (60) and site maps (62)");
            }
            else if (resolved == false)
            {
                Problem(app, component, $"the app component of type {type} '{schemaName ?? id}' is not a component of this solution");
            }
        }

        if (!(root.Element("AppModuleComponents")?.Elements("AppModuleComponent").Any(c => (string?)c.Attribute("type") == SiteMapComponent && (string?)c.Attribute("schemaName") == uniqueName) ?? false))
        {
            Problem(app, root, $"the app does not include its site map (<AppModuleComponent type=\"62\" schemaName=\"{uniqueName}\" />)");
        }

        foreach (var role in root.Element("AppModuleRoleMaps")?.Elements("Role") ?? [])
        {
            var roleId = SourceIds.NormalizeId((string?)role.Attribute("id"));
            if (roleId is null || !_source.Roles.Any(r => SourceIds.NormalizeId((string?)r.Root.Attribute("id")) == roleId))
            {
                Problem(app, role, $"the app is given to the role {(string?)role.Attribute("id")}, which is not a role of this solution");
            }
        }
    }

    private void ValidateSiteMap(SourceDocument siteMap)
    {
        var root = siteMap.Root;
        var uniqueName = (string?)root.Element("SiteMapUniqueName") ?? "";
        var folder = Path.GetFileName(Path.GetDirectoryName(siteMap.RelativePath)) ?? "";
        if (root.Name != "AppModuleSiteMap" || uniqueName != folder || root.Element("SiteMap") is not { } map)
        {
            Problem(siteMap, root, $"a site map file is AppModuleSiteMaps/<UniqueName>/AppModuleSiteMap.xml with root <AppModuleSiteMap>, <SiteMapUniqueName>{folder}</SiteMapUniqueName> and a <SiteMap>");
            return;
        }

        var app = _source.AppModules.FirstOrDefault(a => (string?)a.Root.Element("UniqueName") == uniqueName);
        if (app is null)
        {
            Problem(siteMap, root, $"no app AppModules/{uniqueName}/ uses this site map");
        }

        var components = app?.Root.Element("AppModuleComponents")?.Elements("AppModuleComponent").ToList() ?? [];
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in map.Descendants().Where(e => e.Name.LocalName is "Area" or "Group" or "SubArea"))
        {
            var nodeId = (string?)node.Attribute("Id") ?? "";
            if (nodeId.Length == 0 || !ids.Add(nodeId))
            {
                Problem(siteMap, node, $"every area, group and subarea needs an Id unique in the site map; '{nodeId}' is missing or repeated");
            }

            if (node.Element("Titles")?.Elements("Title").Any() != true)
            {
                Problem(siteMap, node, $"the {node.Name.LocalName} '{nodeId}' has no <Titles><Title>");
            }

            if (node.Name.LocalName != "SubArea")
            {
                continue;
            }

            var entity = (string?)node.Attribute("Entity");
            var dashboard = (string?)node.Attribute("DefaultDashboard");
            if (entity is null && (string?)node.Attribute("Url") is null)
            {
                Problem(siteMap, node, $"the subarea '{nodeId}' opens nothing: it needs an Entity or a Url");
            }

            if (entity is not null && (_source.FindEntity(entity) is null
                || !components.Any(c => (string?)c.Attribute("type") == EntityComponent && string.Equals((string?)c.Attribute("schemaName"), entity, StringComparison.OrdinalIgnoreCase))))
            {
                Problem(siteMap, node, $"the subarea '{nodeId}' opens the table '{entity}', which is not a table of this solution included in the app");
            }

            if (dashboard is not null && (!_source.Dashboards.Any(d => SourceIds.NormalizeId((string?)d.Root.Element("FormId")) == SourceIds.NormalizeId(dashboard))
                || !components.Any(c => (string?)c.Attribute("type") == FormComponent && SourceIds.NormalizeId((string?)c.Attribute("id")) == SourceIds.NormalizeId(dashboard))))
            {
                Problem(siteMap, node, $"the subarea '{nodeId}' opens the dashboard {dashboard}, which is not a dashboard of this solution included in the app");
            }
        }
    }

    private (string Table, XElement Query)? FindView(string? idText)
    {
        var id = SourceIds.NormalizeId(idText);
        foreach (var entity in _source.Entities)
        {
            foreach (var query in entity.SavedQueries.SelectMany(v => v.Root.Elements("savedquery")))
            {
                if (id is not null && SourceIds.NormalizeId((string?)query.Element("savedqueryid")) == id)
                {
                    return (entity.LogicalName, query);
                }
            }
        }

        return null;
    }

    private (string Table, XElement Chart)? FindChart(string? idText)
    {
        var id = SourceIds.NormalizeId(idText);
        foreach (var entity in _source.Entities)
        {
            foreach (var chart in entity.Visualizations)
            {
                if (id is not null && SourceIds.NormalizeId((string?)chart.Root.Element("savedqueryvisualizationid")) == id)
                {
                    return (entity.LogicalName, chart.Root);
                }
            }
        }

        return null;
    }

    /// <summary>A form of a table or a dashboard (both systemform rows).</summary>
    private bool FindForm(string? idText)
    {
        var id = SourceIds.NormalizeId(idText);
        return id is not null
            && (_source.Entities.SelectMany(e => e.Forms).Any(f => SourceIds.NormalizeId(f.FormId) == id)
                || _source.Dashboards.Any(d => SourceIds.NormalizeId((string?)d.Root.Element("FormId")) == id));
    }

    private static string? CustomizationName(XElement component) =>
        component.Element("LocalizedNames")?.Elements("LocalizedName").Select(n => (string?)n.Attribute("description")).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
}
