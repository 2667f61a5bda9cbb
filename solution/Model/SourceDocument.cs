using System.Xml.Linq;

namespace PartnerGuard.SolutionModel;

/// <summary>An XML file of the source folder, parsed, with its path relative to the folder (forward slashes).</summary>
public sealed record SourceDocument(string RelativePath, XDocument Document)
{
    public XElement Root => Document.Root!;
}
