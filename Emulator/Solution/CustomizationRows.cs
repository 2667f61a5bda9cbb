using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using PartnerGuard.SolutionModel;

namespace PartnerGuard.Emulator.Solution;

/// <summary>
/// The rows a solution's model-driven components become in an org, as Dataverse stores them on import: each view
/// (Entities/*/SavedQueries) a <c>savedquery</c> row with its FetchXML and grid, each chart (Entities/*/Visualizations) a
/// <c>savedqueryvisualization</c> row with its aggregate FetchXML, each form (Entities/*/FormXml) and dashboard
/// (Dashboards/) a <c>systemform</c> row with its form XML, each app (AppModules/) an <c>appmodule</c> row and its site map
/// (AppModuleSiteMaps/) a <c>sitemap</c> row. The row ids are the components' ids, so a component keeps its id across
/// loads; apps and site maps carry no id in the solution, so theirs are derived from their unique names (<see cref="NameBasedId"/>).
/// </summary>
internal static class CustomizationRows
{
    /// <summary>systemform.type by the SolutionPackager folder a form is unpacked into (systemform table reference, "type" choices).</summary>
    private static readonly IReadOnlyDictionary<string, int> FormTypes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["dashboard"] = 0,
        ["main"] = 2,
        ["mobile"] = 5,
        ["quickview"] = 6,
        ["quick"] = 7,
        ["card"] = 11,
    };

    public static IEnumerable<Entity> From(SolutionSource source)
    {
        foreach (var entity in source.Entities)
        {
            foreach (var query in entity.SavedQueries.SelectMany(v => v.Root.Elements("savedquery")))
            {
                yield return View(entity.LogicalName, query);
            }

            foreach (var chart in entity.Visualizations)
            {
                yield return Chart(entity.LogicalName, chart.Root);
            }

            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant))
            {
                foreach (var systemForm in form.Document.Root.Elements("systemform"))
                {
                    yield return Form(entity.LogicalName, form.FormType, systemForm);
                }
            }
        }

        foreach (var dashboard in source.Dashboards)
        {
            yield return Dashboard(dashboard.Root);
        }

        foreach (var app in source.AppModules)
        {
            yield return App(app.Root);
        }

        foreach (var siteMap in source.AppModuleSiteMaps)
        {
            yield return SiteMap(siteMap.Root);
        }
    }

    /// <summary>The id the emulator gives an app or site map: a name-based (version 5 style) GUID of its kind and unique name.</summary>
    public static Guid NameBasedId(string kind, string uniqueName)
    {
        var hash = System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes($"partnerguard:{kind}:{uniqueName}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static Entity Chart(string table, XElement chart)
    {
        var row = new Entity("savedqueryvisualization", IdOf(chart, "savedqueryvisualizationid"))
        {
            ["name"] = LocalizedName(chart),
            ["primaryentitytypecode"] = table,
            ["datadescription"] = chart.Element("datadescription")?.Elements().FirstOrDefault()?.ToString(SaveOptions.DisableFormatting),
            ["presentationdescription"] = chart.Element("presentationdescription")?.Elements().FirstOrDefault()?.ToString(SaveOptions.DisableFormatting),
            ["isdefault"] = (string?)chart.Element("isdefault") == "1",
        };
        if (Description(chart) is { } description)
        {
            row["description"] = description;
        }

        return row;
    }

    /// <summary>A dashboard is a systemform of type 0 whose table is "none" (systemform table reference).</summary>
    private static Entity Dashboard(XElement dashboard)
    {
        var row = new Entity("systemform", IdOf(dashboard, "FormId"))
        {
            ["name"] = LocalizedName(dashboard),
            ["objecttypecode"] = "none",
            ["type"] = new OptionSetValue(FormTypes["dashboard"]),
            ["formxml"] = dashboard.Element("FormXml")?.Element("forms")?.Element("form")?.ToString(SaveOptions.DisableFormatting),
            ["isdefault"] = (string?)dashboard.Element("IsDefault") == "1",
            ["formactivationstate"] = new OptionSetValue((string?)dashboard.Element("FormActivationState") == "0" ? 0 : 1),
        };
        if (Description(dashboard) is { } description)
        {
            row["description"] = description;
        }

        return row;
    }

    private static Entity App(XElement app)
    {
        var uniqueName = (string?)app.Element("UniqueName") ?? throw new InvalidDataException("An <AppModule> has no <UniqueName>.");
        var id = NameBasedId("appmodule", uniqueName);
        var row = new Entity("appmodule", id)
        {
            ["name"] = LocalizedName(app),
            ["uniquename"] = uniqueName,
            ["appmoduleidunique"] = id,
            ["clienttype"] = int.TryParse((string?)app.Element("ClientType"), out var client) ? client : 4,
            ["formfactor"] = int.TryParse((string?)app.Element("FormFactor"), out var factor) ? factor : 1,
        };
        if (Description(app) is { } description)
        {
            row["description"] = description;
        }

        return row;
    }

    private static Entity SiteMap(XElement siteMap)
    {
        var uniqueName = (string?)siteMap.Element("SiteMapUniqueName") ?? throw new InvalidDataException("An <AppModuleSiteMap> has no <SiteMapUniqueName>.");
        return new Entity("sitemap", NameBasedId("sitemap", uniqueName))
        {
            ["sitemapname"] = LocalizedName(siteMap) ?? uniqueName,
            ["sitemapnameunique"] = uniqueName,
            ["sitemapxml"] = siteMap.Element("SiteMap")?.ToString(SaveOptions.DisableFormatting),
            ["isappaware"] = true,
        };
    }

    private static Entity View(string table, XElement query)
    {
        var row = new Entity("savedquery", IdOf(query, "savedqueryid"))
        {
            ["name"] = LocalizedName(query),
            ["returnedtypecode"] = table,
            ["fetchxml"] = query.Element("fetchxml")?.Element("fetch")?.ToString(SaveOptions.DisableFormatting),
            ["layoutxml"] = query.Element("layoutxml")?.Element("grid")?.ToString(SaveOptions.DisableFormatting),
            ["querytype"] = int.TryParse((string?)query.Element("querytype"), out var type) ? type : 0,
            ["isdefault"] = (string?)query.Element("isdefault") == "1",
            ["isquickfindquery"] = (string?)query.Element("isquickfindquery") == "1",
            ["isprivate"] = (string?)query.Element("isprivate") == "1",
        };
        if (Description(query) is { } description)
        {
            row["description"] = description;
        }

        return row;
    }

    private static Entity Form(string table, string folder, XElement systemForm)
    {
        var row = new Entity("systemform", IdOf(systemForm, "formid"))
        {
            ["name"] = LocalizedName(systemForm),
            ["objecttypecode"] = table,
            ["formxml"] = systemForm.Element("form")?.ToString(SaveOptions.DisableFormatting),
            ["isdefault"] = (string?)systemForm.Element("IsDefault") == "1",
            ["formactivationstate"] = new OptionSetValue((string?)systemForm.Element("FormActivationState") == "0" ? 0 : 1),
        };
        if (FormTypes.TryGetValue(folder, out var type))
        {
            row["type"] = new OptionSetValue(type);
        }

        if (Description(systemForm) is { } description)
        {
            row["description"] = description;
        }

        return row;
    }

    private static Guid IdOf(XElement component, string element) =>
        SourceIds.NormalizeId((string?)component.Element(element)) is { } id
            ? Guid.Parse(id)
            : throw new InvalidDataException($"A <{component.Name.LocalName}> has no GUID in <{element}>.");

    /// <summary>The English (1033) name, else the first one.</summary>
    internal static string? LocalizedName(XElement component) => Label(component.Element("LocalizedNames")?.Elements("LocalizedName"));

    private static string? Description(XElement component) => Label(component.Element("Descriptions")?.Elements("Description"));

    private static string? Label(IEnumerable<XElement>? labels)
    {
        var list = labels?.ToList() ?? [];
        return (string?)(list.FirstOrDefault(l => (string?)l.Attribute("languagecode") == "1033") ?? list.FirstOrDefault())?.Attribute("description");
    }
}
