namespace PartnerGuard.SolutionModel;

/// <summary>A form of a table: FormXml/&lt;type&gt;/{id}.xml, or its {id}_managed.xml variant.</summary>
public sealed record FormSource(string FormType, string FormId, SourceDocument Document, bool IsManagedVariant);
