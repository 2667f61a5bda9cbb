using System.Xml.Linq;

namespace PartnerGuard.SolutionModel;

/// <summary>A table folder Entities/&lt;Name&gt;/: Entity.xml with its forms, views and ribbon.</summary>
public sealed record EntitySource(
    string FolderName,
    SourceDocument Entity,
    IReadOnlyList<FormSource> Forms,
    IReadOnlyList<SourceDocument> SavedQueries,
    SourceDocument? RibbonDiff)
{
    /// <summary>The entity's name as written in Entity.xml (schema-name casing).</summary>
    public string SchemaName => (string?)Entity.Root.Element("Name") ?? FolderName;

    public string LogicalName => SchemaName.ToLowerInvariant();

    /// <summary>The &lt;entity&gt; element holding the attributes.</summary>
    public XElement? Info => Entity.Root.Element("EntityInfo")?.Element("entity");

    public IEnumerable<XElement> Attributes => Info?.Element("attributes")?.Elements("attribute") ?? [];

    /// <summary>A table defined by this solution (it has a primary key); otherwise a shell of an existing table.</summary>
    public bool IsDefinedHere => Attributes.Any(a => (string?)a.Element("Type") == "primarykey");

    public XElement? FindAttribute(string logicalName) =>
        Attributes.FirstOrDefault(a => string.Equals(AttributeLogicalName(a), logicalName, StringComparison.OrdinalIgnoreCase));

    public static string AttributeLogicalName(XElement attribute) =>
        ((string?)attribute.Element("LogicalName") ?? (string?)attribute.Attribute("PhysicalName") ?? "").ToLowerInvariant();
}
