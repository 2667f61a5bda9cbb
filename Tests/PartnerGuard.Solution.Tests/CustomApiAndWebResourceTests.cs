using System.Xml.Linq;
using PartnerGuard.Packer;
using PartnerGuard.Plugins;
using PartnerGuard.Solution.Tests.Fixtures;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// The pg_CheckChannel Custom API, the opportunity form script and PartnerGuard's opportunity form (issue #14, DESIGN §8):
/// the source matches the plug-in's contract, the packer packs them in the exported shape and refuses what an import would.
/// </summary>
public sealed class CustomApiAndWebResourceTests
{
    private const string Api = "customapis/pg_CheckChannel";

    [Fact]
    public void CheckChannelApi_InTheSource_IsTheContractThePluginRuns()
    {
        var api = Assert.Single(Source.Solution.CustomApis);
        Assert.Equal(CheckChannelApi.UniqueName, api.UniqueName);
        Assert.Equal("1", (string?)api.Api.Root.Element("isfunction"));
        Assert.Equal("0", (string?)api.Api.Root.Element("bindingtype"));
        Assert.Equal("0", (string?)api.Api.Root.Element("allowedcustomprocessingsteptype"));
        var typeId = (string?)api.Api.Root.Element("plugintypeid")?.Element("plugintypeid");
        var type = Source.PluginAssemblyData.Descendants("PluginType").Single(t => SourceIds.NormalizeId((string?)t.Attribute("PluginTypeId")) == SourceIds.NormalizeId(typeId));
        Assert.Equal(typeof(PartnerGuard.Plugins.CheckChannel).FullName, (string?)type.Attribute("Name"));

        Assert.Equal(
            CheckChannelApi.RequestParameters.Select(p => (p.Name, p.Type, p.Optional)).OrderBy(p => p.Name, StringComparer.Ordinal),
            api.RequestParameters.Select(p => ((string)p.Root.Attribute("uniquename")!, (int)p.Root.Element("type")!, (string?)p.Root.Element("isoptional") == "1"))
                .OrderBy(p => p.Item1, StringComparer.Ordinal));
        Assert.Equal(
            CheckChannelApi.ResponseProperties.Select(p => (p.Name, p.Type)).OrderBy(p => p.Name, StringComparer.Ordinal),
            api.ResponseProperties.Select(p => ((string)p.Root.Attribute("uniquename")!, (int)p.Root.Element("type")!)).OrderBy(p => p.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public void Pack_CarriesTheCustomApiFolderTheScriptAndTheForm_InTheExportedShape()
    {
        using var fixture = new SolutionFixture();

        var result = SolutionPacker.Pack(fixture.Options());

        var package = SolutionPackage.Read(result.WrittenFiles[0]);
        Assert.Empty(package.UnresolvedRootComponents());
        Assert.Equal([CheckChannelApi.UniqueName], package.CustomApis);
        Assert.Contains($"{Api}/customapirequestparameters/Customer/customapirequestparameter.xml", package.EntryNames);
        Assert.Contains($"{Api}/customapiresponseproperties/PartnerName/customapiresponseproperty.xml", package.EntryNames);
        Assert.DoesNotContain(package.RootComponents, r => r.Type >= 10000);

        var script = Assert.Single(package.WebResources);
        Assert.Equal("/WebResources/pg_scriptsopportunityjs61A63CF1-9D06-5963-BCDF-E65EA4F78CEF", (string?)script.Element("FileName"));
        Assert.Equal(File.ReadAllBytes(fixture.At("WebResources/pg_/scripts/opportunity.js")), package.Entries["WebResources/pg_scriptsopportunityjs61A63CF1-9D06-5963-BCDF-E65EA4F78CEF"]);
        var contentTypes = XDocument.Load(new MemoryStream(package.Entries["[Content_Types].xml"]));
        Assert.Contains(contentTypes.Root!.Elements(), e => (string?)e.Attribute("PartName") == "/WebResources/pg_scriptsopportunityjs61A63CF1-9D06-5963-BCDF-E65EA4F78CEF");

        var form = package.Entities.Single(e => (string?)e.Element("Name") == "Opportunity").Descendants("systemform").Single();
        var handler = form.Descendants("Handler").Single();
        Assert.Equal("PartnerGuard.Opportunity.onLoad", (string?)handler.Attribute("functionName"));
        Assert.Equal("true", (string?)handler.Attribute("passExecutionContext"));
        Assert.Equal("onload", (string?)handler.Parent!.Parent!.Attribute("name"));
        Assert.Equal("pg_/scripts/opportunity.js", (string?)form.Descendants("Library").Single().Attribute("name"));
        var columns = form.Descendants("control").Select(c => (string?)c.Attribute("datafieldname")).ToList();
        Assert.Contains("pg_partnerid", columns);
        Assert.All(new[] { "pg_channel", "pg_channelreason", "pg_directsalesruleid", "pg_channeldecidedon" }, column =>
            Assert.Equal("true", (string?)form.Descendants("control").Single(c => (string?)c.Attribute("datafieldname") == column).Attribute("disabled")));
    }

    public static TheoryData<string, string, string> Breakages => new()
    {
        { "parameter type", $"{Api}/customapirequestparameters/Customer/customapirequestparameter.xml", "<type> '13' is not a Custom API type" },
        { "optional response", $"{Api}/customapiresponseproperties/Outcome/customapiresponseproperty.xml", "a response property has no <isoptional>" },
        { "unknown plug-in type", $"{Api}/customapi.xml", "is not a PluginType of any plug-in assembly in the solution" },
        { "table on a string", $"{Api}/customapiresponseproperties/Reason/customapiresponseproperty.xml", "only Entity, EntityCollection and EntityReference name a table" },
        { "custom API root component", "Other/Solution.xml", "per-environment component type code" },
        { "web resource type", "WebResources/pg_/scripts/opportunity.js.data.xml", "type 1 is for .htm or .html files" },
        { "web resource without record", "WebResources/pg_/scripts/stray.js", "has no web resource record" },
        { "form column", "Entities/Opportunity/FormXml/main/{25336ae3-dffc-5071-853a-d3d343f59a3a}.xml", "shows the column 'pg_nosuchcolumn'" },
        { "form library", "Entities/Opportunity/FormXml/main/{25336ae3-dffc-5071-853a-d3d343f59a3a}.xml", "the form library 'pg_/scripts/missing.js' is not a web resource" },
        { "form not a root component", "Entities/Opportunity/FormXml/main/{25336ae3-dffc-5071-853a-d3d343f59a3a}.xml", "must be a root component in Other/Solution.xml (type 60)" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Pack_BrokenComponent_FailsNamingTheFileAndTheProblem(string breakage, string file, string message)
    {
        using var fixture = new SolutionFixture();
        const string Form = "Entities/Opportunity/FormXml/main/{25336ae3-dffc-5071-853a-d3d343f59a3a}.xml";
        switch (breakage)
        {
            case "parameter type":
                fixture.Edit(file, d => d.Root!.Element("type")!.Value = "13");
                break;
            case "optional response":
                fixture.Edit(file, d => d.Root!.Add(new XElement("isoptional", "0")));
                break;
            case "unknown plug-in type":
                fixture.Edit(file, d => d.Root!.Element("plugintypeid")!.Element("plugintypeid")!.Value = Guid.NewGuid().ToString());
                break;
            case "table on a string":
                fixture.Edit(file, d => d.Root!.Element("logicalentityname")!.Value = "account");
                break;
            case "custom API root component":
                fixture.Edit(file, d => d.Descendants("RootComponents").Single().Add(
                    new XElement("RootComponent", new XAttribute("type", "10421"), new XAttribute("schemaName", "pg_CheckChannel"), new XAttribute("behavior", "0"))));
                break;
            case "web resource type":
                fixture.Edit(file, d => d.Root!.Element("WebResourceType")!.Value = "1");
                break;
            case "web resource without record":
                File.WriteAllText(fixture.At(file), "\"use strict\";\n");
                break;
            case "form column":
                fixture.Edit(Form, d => d.Descendants("control").First().SetAttributeValue("datafieldname", "pg_nosuchcolumn"));
                break;
            case "form library":
                fixture.Edit(Form, d =>
                {
                    d.Descendants("Library").Single().SetAttributeValue("name", "pg_/scripts/missing.js");
                    d.Descendants("Handler").Single().SetAttributeValue("libraryName", "pg_/scripts/missing.js");
                });
                break;
            case "form not a root component":
                fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponent").Single(r => (string?)r.Attribute("type") == "60" && SourceIds.NormalizeId((string?)r.Attribute("id")) == "25336ae3-dffc-5071-853a-d3d343f59a3a").Remove());
                break;
        }

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        Assert.Contains(ex.Problems, p => p.File == file && p.Message.Contains(message, StringComparison.Ordinal));
        Assert.False(Directory.Exists(fixture.Output) && Directory.GetFiles(fixture.Output).Length > 0, "a zip was written");
    }
}
