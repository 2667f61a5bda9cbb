using System.Xml.Linq;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// The web resource records beside the scripts, in the shape SolutionPackager unpacks them: the file plus
/// `&lt;file&gt;.data.xml` whose Name is the path under WebResources/ and whose FileName points back at the file.
/// </summary>
public sealed class WebResourceRecordTests
{
    [Fact]
    public void OpportunityScriptRecord_NamesItsFile_AsAJavaScriptWebResourceWithTheSolutionPrefix()
    {
        var script = Path.Combine(FormScriptPaths.WebResources, "pg_", "scripts", "opportunity.js");
        var record = XDocument.Load(script + ".data.xml").Root!;

        Assert.Equal("WebResource", record.Name.LocalName);
        Assert.Equal(FormRun.OpportunityScript, (string?)record.Element("Name"));
        Assert.Equal("/WebResources/" + FormRun.OpportunityScript, (string?)record.Element("FileName"));
        Assert.Equal("3", (string?)record.Element("WebResourceType")); // JScript
        Assert.True(Guid.TryParse((string?)record.Element("WebResourceId"), out _));
        Assert.True(File.Exists(script));
    }

    [Fact]
    public void OpportunityScript_NeverUsesXrmPageOrTheDom_AndNeverBlocksASave()
    {
        var source = File.ReadAllText(Path.Combine(FormScriptPaths.WebResources, "pg_", "scripts", "opportunity.js"));

        foreach (var forbidden in new[] { "Xrm.Page", "document.", "getEventArgs", "preventDefault", "addOnSave", "async: false" })
        {
            Assert.DoesNotContain(forbidden, source, StringComparison.Ordinal);
        }

        Assert.Contains("\"use strict\";", source, StringComparison.Ordinal);
    }
}
