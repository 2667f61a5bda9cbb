using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using PartnerGuard.SolutionModel;

namespace PartnerGuard.Emulator.Solution;

/// <summary>
/// The rows a solution's model-driven components become in an org, as Dataverse stores them on import: each view
/// (Entities/*/SavedQueries) a <c>savedquery</c> row with its FetchXML and grid, each form (Entities/*/FormXml) a
/// <c>systemform</c> row with its form XML. The row ids are the components' ids, so a view keeps its id across loads.
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

            foreach (var form in entity.Forms.Where(f => !f.IsManagedVariant))
            {
                foreach (var systemForm in form.Document.Root.Elements("systemform"))
                {
                    yield return Form(entity.LogicalName, form.FormType, systemForm);
                }
            }
        }
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
