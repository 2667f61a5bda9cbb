namespace PartnerGuard.Packer;

/// <summary>WebResources/&lt;name&gt; + &lt;name&gt;.data.xml: the record as Dataverse exports it, matching its file.</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateWebResource(WebResourceSource webResource)
    {
        var data = webResource.Data;
        var root = data.Root;
        if (root.Name != "WebResource")
        {
            Problem(data, root, $"the root element must be <WebResource>, not <{root.Name}>");
            return;
        }

        if (webResource.Id is null)
        {
            Problem(data, root.Element("WebResourceId") ?? (System.Xml.Linq.XObject)root, "<WebResourceId> must be a GUID");
        }

        var expectedName = webResource.ContentPath[(SolutionSource.WebResourcesFolder.Length + 1)..];
        if (!string.Equals(webResource.Name, expectedName, StringComparison.Ordinal))
        {
            Problem(data, root.Element("Name") ?? (System.Xml.Linq.XObject)root, $"<Name> '{webResource.Name}' must be the file's path under WebResources/, '{expectedName}'");
        }

        if (!HasPrefix(webResource.Name))
        {
            Problem(data, root.Element("Name") ?? (System.Xml.Linq.XObject)root, $"the name '{webResource.Name}' must start with the publisher's prefix '{_prefix}_'");
        }

        if (!string.Equals((string?)root.Element("FileName"), "/" + webResource.ContentPath, StringComparison.Ordinal))
        {
            Problem(data, root.Element("FileName") ?? (System.Xml.Linq.XObject)root, $"<FileName> must be '/{webResource.ContentPath}'");
        }

        var typeText = (string?)root.Element("WebResourceType");
        if (!int.TryParse(typeText, out var type) || !SolutionRules.WebResourceTypes.TryGetValue(type, out var extensions))
        {
            Problem(data, root.Element("WebResourceType") ?? (System.Xml.Linq.XObject)root, $"<WebResourceType> '{typeText}' is not a web resource type (1 HTML … 12 RESX)");
        }
        else if (!extensions.Contains(Path.GetExtension(webResource.ContentPath), StringComparer.OrdinalIgnoreCase))
        {
            Problem(data, root.Element("WebResourceType"), $"type {type} is for {string.Join(" or ", extensions)} files, not '{Path.GetFileName(webResource.ContentPath)}'");
        }
    }
}
