namespace PartnerGuard.Emulator.Metadata;

/// <summary>
/// The tables that hold a solution's model-driven components, as the Web API serves them: views (savedquery), charts
/// (savedqueryvisualization), forms and dashboards (systemform), model-driven apps (appmodule) and their site maps
/// (sitemap). Column names follow the Dataverse table reference; <c>returnedtypecode</c>,
/// <c>primaryentitytypecode</c> and <c>objecttypecode</c> are EntityName columns, which the Web API reads and filters as
/// the table's logical name (<c>savedqueries?$filter=returnedtypecode eq 'opportunity'</c>).
/// </summary>
internal static class CustomizationTables
{
    /// <summary>The memo limit of fetchxml, layoutxml, formxml and the chart descriptions (1,073,741,823 in the reference).</summary>
    private const int XmlLength = 1_073_741_823;

    public static void AddTo(MetadataCatalog catalog)
    {
        var view = SystemTables.Table(catalog, "savedquery", "name", "savedqueries");
        SystemTables.Text(view, "name", 200);
        SystemTables.Memo(view, "description", 2000);
        SystemTables.Text(view, "returnedtypecode", 64);
        SystemTables.Memo(view, "fetchxml", XmlLength);
        SystemTables.Memo(view, "layoutxml", XmlLength);
        view.AddColumn(new ColumnMetadata("querytype", ColumnType.Integer));
        view.AddColumn(new ColumnMetadata("isdefault", ColumnType.Boolean));
        view.AddColumn(new ColumnMetadata("isquickfindquery", ColumnType.Boolean));
        view.AddColumn(new ColumnMetadata("isprivate", ColumnType.Boolean));
        SystemTables.State(view, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        SystemTables.Audit(view);

        var chart = SystemTables.Table(catalog, "savedqueryvisualization", "name", "savedqueryvisualizations");
        SystemTables.Text(chart, "name", 200);
        SystemTables.Memo(chart, "description", 2000);
        SystemTables.Text(chart, "primaryentitytypecode", 64);
        SystemTables.Memo(chart, "datadescription", XmlLength);
        SystemTables.Memo(chart, "presentationdescription", XmlLength);
        chart.AddColumn(new ColumnMetadata("isdefault", ColumnType.Boolean));
        chart.AddColumn(new ColumnMetadata("charttype", ColumnType.Picklist));
        SystemTables.Audit(chart);

        var form = catalog.AddOrGet(new TableMetadata("systemform", primaryIdColumn: "formid", primaryNameColumn: "name") { EntitySetName = "systemforms" });
        SystemTables.Text(form, "name", 100);
        SystemTables.Memo(form, "description", 2000);
        SystemTables.Text(form, "objecttypecode", 64);
        form.AddColumn(new ColumnMetadata("type", ColumnType.Picklist));
        SystemTables.Memo(form, "formxml", XmlLength);
        form.AddColumn(new ColumnMetadata("isdefault", ColumnType.Boolean));
        form.AddColumn(new ColumnMetadata("formactivationstate", ColumnType.Picklist) { Options = new[] { 0, 1 } });
        SystemTables.Audit(form);

        var app = SystemTables.Table(catalog, "appmodule", "name", "appmodules");
        SystemTables.Text(app, "name", 100);
        SystemTables.Text(app, "uniquename", 100);
        SystemTables.Memo(app, "description", 2000);
        app.AddColumn(new ColumnMetadata("clienttype", ColumnType.Integer));
        app.AddColumn(new ColumnMetadata("formfactor", ColumnType.Integer));
        app.AddColumn(new ColumnMetadata("appmoduleidunique", ColumnType.UniqueIdentifier));
        SystemTables.State(app, new[] { 0, 1 }, new Dictionary<int, int> { [1] = 0, [2] = 1 });
        SystemTables.Audit(app);

        var siteMap = SystemTables.Table(catalog, "sitemap", "sitemapname", "sitemaps");
        SystemTables.Text(siteMap, "sitemapname", 200);
        SystemTables.Text(siteMap, "sitemapnameunique", 200);
        SystemTables.Memo(siteMap, "sitemapxml", XmlLength);
        siteMap.AddColumn(new ColumnMetadata("isappaware", ColumnType.Boolean));
        SystemTables.Audit(siteMap);
    }
}
