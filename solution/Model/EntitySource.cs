using System.Xml.Linq;

namespace PartnerGuard.SolutionModel;

/// <summary>
/// A table folder Entities/&lt;Name&gt;/: Entity.xml with its forms, views, charts, ribbon and the formula definitions of its
/// calculated and rollup columns (Formulas/*.xaml, relative paths; the zip holds them under /Formulas/).
/// </summary>
public sealed record EntitySource(
    string FolderName,
    SourceDocument Entity,
    IReadOnlyList<FormSource> Forms,
    IReadOnlyList<SourceDocument> SavedQueries,
    SourceDocument? RibbonDiff,
    IReadOnlyList<string> Formulas)
{
    /// <summary>Visualizations/{id}.xml: the table's charts (a &lt;visualization&gt; each, its data description aggregate FetchXML).</summary>
    public IReadOnlyList<SourceDocument> Visualizations { get; init; } = [];

    /// <summary>The entity's name as written in Entity.xml (schema-name casing).</summary>
    public string SchemaName => (string?)Entity.Root.Element("Name") ?? FolderName;

    public string LogicalName => SchemaName.ToLowerInvariant();

    /// <summary>The &lt;entity&gt; element holding the attributes.</summary>
    public XElement? Info => Entity.Root.Element("EntityInfo")?.Element("entity");

    public IEnumerable<XElement> Attributes => Info?.Element("attributes")?.Elements("attribute") ?? [];

    /// <summary>
    /// A table defined by this solution: it has a primary key and a prefixed name (prefix_name). Dataverse's own tables
    /// (account, opportunity…) carry no prefix; exported with all their columns (behavior 0) they have a primary key too,
    /// and exported as a shell (behavior 1 or 2) only the columns this solution adds.
    /// </summary>
    public bool IsDefinedHere => SchemaName.Contains('_', StringComparison.Ordinal) && Attributes.Any(a => (string?)a.Element("Type") == "primarykey");

    /// <summary>A business process flow's table: Dataverse generates its bpf_* columns.</summary>
    public bool IsBusinessProcessFlow => (string?)Info?.Element("IsBPFEntity") == "1";

    public XElement? FindAttribute(string logicalName) =>
        Attributes.FirstOrDefault(a => string.Equals(AttributeLogicalName(a), logicalName, StringComparison.OrdinalIgnoreCase));

    public static string AttributeLogicalName(XElement attribute) =>
        ((string?)attribute.Element("LogicalName") ?? (string?)attribute.Attribute("PhysicalName") ?? "").ToLowerInvariant();
}
