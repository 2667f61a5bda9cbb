namespace PartnerGuard.SolutionModel;

/// <summary>
/// A Custom API folder customapis/&lt;uniquename&gt;/ as Dataverse exports it: customapi.xml, then one folder per request
/// parameter (customapirequestparameters/&lt;uniquename&gt;/customapirequestparameter.xml) and per response property
/// (customapiresponseproperties/&lt;uniquename&gt;/customapiresponseproperty.xml).
/// </summary>
public sealed record CustomApiSource(string FolderName, SourceDocument Api, IReadOnlyList<SourceDocument> RequestParameters, IReadOnlyList<SourceDocument> ResponseProperties)
{
    public string UniqueName => (string?)Api.Root.Attribute("uniquename") ?? FolderName;

    /// <summary>Every file of the folder, relative to the source, in the order the zip holds them.</summary>
    public IEnumerable<string> Files =>
        new[] { Api.RelativePath }.Concat(RequestParameters.Select(p => p.RelativePath)).Concat(ResponseProperties.Select(p => p.RelativePath));
}

/// <summary>
/// A web resource as SolutionPackager unpacks it: the content file WebResources/&lt;name&gt; and its record
/// WebResources/&lt;name&gt;.data.xml (&lt;WebResource&gt;: id, Name, type, FileName).
/// </summary>
public sealed record WebResourceSource(SourceDocument Data, string ContentPath)
{
    /// <summary>The web resource's unique name (&lt;Name&gt;), e.g. pg_/scripts/opportunity.js.</summary>
    public string Name => (string?)Data.Root.Element("Name") ?? "";

    public string? Id => SourceIds.NormalizeId((string?)Data.Root.Element("WebResourceId"));
}
