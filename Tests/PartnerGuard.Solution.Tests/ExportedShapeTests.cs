using System.IO.Compression;
using System.Xml.Linq;
using PartnerGuard.Packer;
using PartnerGuard.Solution.Tests.Fixtures;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// What Dataverse really exports, for each component kind the packer claims (issue #18 item 5). The fixtures are written by
/// us in the shape an unmanaged export unpacked by `pac solution unpack` has (shared/reference/solution-format-notes.md
/// §1.7, §2), added to a copy of solution/src; each must pack and land in the zip.
/// </summary>
public sealed class ExportedShapeTests
{
    [Fact]
    public void SystemTable_WithBehaviorOneAndUnmodifiedColumns_IsPacked()
    {
        using var fixture = new SolutionFixture();
        fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponent").Single(r => (string?)r.Attribute("schemaName") == "account").SetAttributeValue("behavior", "1"));
        fixture.Edit("Entities/Account/Entity.xml", d => d.Descendants("attributes").Single().Add(
            SystemColumn("AccountId", "primarykey"),
            SystemColumn("Name", "nvarchar"),
            SystemColumn("AccountCategoryCode", "picklist", new XElement("optionset", new XAttribute("Name", "account_accountcategorycode"),
                new XElement("OptionSetType", "picklist"), new XElement("IsGlobal", "0"),
                new XElement("options", Option(1, "Preferred Customer"), Option(2, "Standard"))))));

        var customizations = PackUnmanaged(fixture);

        var account = Entity(customizations, "Account");
        Assert.Contains(account.Descendants("attribute"), a => (string?)a.Attribute("PhysicalName") == "AccountCategoryCode" && (string?)a.Attribute("unmodified") == "1");
    }

    [Fact]
    public void CustomChoice_WhoseValuesLackThePublisherOptionPrefix_IsPacked()
    {
        using var fixture = new SolutionFixture();
        fixture.Edit("OptionSets/pg_channel.xml", d => d.Descendants("option").First().SetAttributeValue("value", "1"));

        var customizations = PackUnmanaged(fixture);

        var channel = customizations.Descendants("optionset").Single(o => (string?)o.Attribute("Name") == "pg_channel");
        Assert.Equal("1", (string?)channel.Descendants("option").First().Attribute("value"));
    }

    [Fact]
    public void BusinessProcessFlowTable_WithItsBpfColumnsAndRelationship_IsPacked()
    {
        using var fixture = new SolutionFixture();
        var folder = fixture.At("Entities/pg_DealToPartnerProcess");
        Directory.CreateDirectory(folder);
        new XDocument(new XElement("Entity",
            new XElement("Name", new XAttribute("LocalizedName", "Deal to Partner Process"), new XAttribute("OriginalName", "Deal to Partner Process"), "pg_DealToPartnerProcess"),
            new XElement("EntityInfo", new XElement("entity", new XAttribute("Name", "pg_DealToPartnerProcess"),
                new XElement("attributes",
                    CustomColumn("BusinessProcessFlowInstanceId", "primarykey", custom: false),
                    CustomColumn("bpf_name", "nvarchar", custom: true),
                    CustomColumn("bpf_Duration", "int", custom: true),
                    CustomColumn("bpf_opportunityid", "lookup", custom: true)),
                new XElement("EntitySetName", "pg_dealtopartnerprocesses"),
                new XElement("IsBPFEntity", "1"),
                new XElement("OwnershipTypeMask", "OrgOwned"))),
            new XElement("FormXml"), new XElement("SavedQueries"), new XElement("RibbonDiffXml")))
            .Save(Path.Combine(folder, "Entity.xml"));
        AddRootComponent(fixture, new XElement("RootComponent", new XAttribute("type", "1"), new XAttribute("schemaName", "pg_dealtopartnerprocess"), new XAttribute("behavior", "0")));
        AddRelationship(fixture, "Opportunity", "bpf_opportunity_pg_dealtopartnerprocess", "pg_DealToPartnerProcess", "bpf_opportunityid");

        var customizations = PackUnmanaged(fixture);

        Assert.Contains(Entity(customizations, "pg_DealToPartnerProcess").Descendants("attribute"), a => (string?)a.Attribute("PhysicalName") == "bpf_Duration");
        Assert.Contains(customizations.Descendants("EntityRelationship"), r => (string?)r.Attribute("Name") == "bpf_opportunity_pg_dealtopartnerprocess");
    }

    [Fact]
    public void FileColumn_WithItsFileAttachmentRelationship_IsPacked()
    {
        using var fixture = new SolutionFixture();
        fixture.Edit("Entities/pg_DirectSalesRule/Entity.xml", d => d.Descendants("attributes").First().Add(
            With(CustomColumn("pg_Evidence", "file", custom: true), new XElement("MaxSizeInKB", "32768"))));
        AddRelationship(fixture, "FileAttachment", "FileAttachment_pg_DirectSalesRule_pg_Evidence", "pg_DirectSalesRule", "pg_evidence");

        var customizations = PackUnmanaged(fixture);

        Assert.Contains(Entity(customizations, "pg_DirectSalesRule").Descendants("attribute"), a => (string?)a.Element("Type") == "file");
        Assert.Contains(customizations.Descendants("EntityRelationship"), r => (string?)r.Attribute("Name") == "FileAttachment_pg_DirectSalesRule_pg_Evidence");
    }

    [Fact]
    public void CustomWorkflowActivity_InThePluginAssembly_IsPacked()
    {
        using var fixture = new SolutionFixture();
        var data = Directory.GetFiles(fixture.PluginFolder, "*.dll.data.xml").Single();
        var document = XDocument.Load(data);
        var plugin = document.Descendants("PluginType").First();
        var activity = new XElement(plugin);
        activity.SetAttributeValue("Name", "PartnerGuard.Solution.Tests.Fixtures.StampChannelActivity");
        activity.SetAttributeValue("AssemblyQualifiedName", ((string)plugin.Attribute("AssemblyQualifiedName")!).Replace("ValidateDirectSalesRule", "StampChannelActivity", StringComparison.Ordinal)
            .Replace("RequirePartnerOnOpportunity", "StampChannelActivity", StringComparison.Ordinal));
        activity.SetAttributeValue("PluginTypeId", "0f6c3c7e-4a51-4f5e-9a0c-5d1d3f0e7a11");
        activity.Element("FriendlyName")!.Value = "Stamp channel";
        activity.Add(new XElement("WorkflowActivityGroupName", "PartnerGuard (1.0.0.0)"));
        plugin.AddAfterSelf(activity);
        document.Save(data);

        var customizations = PackUnmanaged(fixture);

        Assert.Contains(customizations.Descendants("PluginType"), t => (string?)t.Element("WorkflowActivityGroupName") == "PartnerGuard (1.0.0.0)");
    }

    [Fact]
    public void CustomWorkflowActivity_ThatIsNoActivity_IsRefusedNamingTheRule()
    {
        using var fixture = new SolutionFixture();
        var data = Directory.GetFiles(fixture.PluginFolder, "*.dll.data.xml").Single();
        var document = XDocument.Load(data);
        document.Descendants("PluginType").First().Add(new XElement("WorkflowActivityGroupName", "PartnerGuard (1.0.0.0)"));
        document.Save(data);

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        Assert.Contains(ex.Problems, p => p.Message.Contains("deriving from System.Activities.CodeActivity", StringComparison.Ordinal));
    }

    [Fact]
    public void FormulaFiles_EntityMaps_AndFieldSecurityProfiles_ArePackedWhereCustomizationsRefersToThem()
    {
        using var fixture = new SolutionFixture();
        fixture.Edit("Entities/Account/Entity.xml", d => d.Descendants("attributes").Single().Add(
            With(CustomColumn("pg_OpenDealCount", "int", custom: true), new XElement("SourceType", "2"),
                new XElement("FormulaDefinitionFileName", "/Formulas/account-pg_opendealcount.xaml"))));
        Directory.CreateDirectory(fixture.At("Entities/Account/Formulas"));
        const string Formula = "<Activity x:Class=\"XrmWorkflow\" xmlns=\"http://schemas.microsoft.com/netfx/2009/xaml/activities\" xmlns:x=\"http://schemas.microsoft.com/winfx/2006/xaml\" />";
        File.WriteAllText(fixture.At("Entities/Account/Formulas/account-pg_opendealcount.xaml"), Formula);
        new XDocument(new XElement("EntityMaps", new XElement("EntityMap",
            new XElement("EntitySource", "account"), new XElement("EntityTarget", "opportunity"),
            new XElement("AttributeMaps", new XElement("AttributeMap",
                new XElement("AttributeSource", "pg_assignedpartnerid"), new XElement("AttributeTarget", "pg_partnerid")))))).Save(fixture.At("Other/EntityMaps.xml"));
        new XDocument(new XElement("FieldSecurityProfiles", new XElement("FieldSecurityProfile",
            new XAttribute("fieldsecurityprofileid", "{6d2b9a47-8c1e-4e0b-9b2f-2a7d0c5e3f10}"), new XAttribute("name", "PartnerGuard Partner Data"),
            new XElement("FieldPermissions", new XElement("FieldPermission",
                new XAttribute("entityname", "account"), new XAttribute("attributelogicalname", "pg_partnercapacity"),
                new XAttribute("canread", "4"), new XAttribute("canupdate", "0"), new XAttribute("cancreate", "0")))))).Save(fixture.At("Other/FieldSecurityProfiles.xml"));

        var zipPath = Pack(fixture);
        using var zip = ZipFile.OpenRead(zipPath);
        var customizations = Customizations(zip);

        using (var reader = new StreamReader(zip.GetEntry("Formulas/account-pg_opendealcount.xaml")!.Open()))
        {
            Assert.Equal(Formula, reader.ReadToEnd());
        }

        Assert.Equal("pg_partnerid", customizations.Root!.Element("EntityMaps")!.Descendants("AttributeTarget").Single().Value);
        Assert.Equal("PartnerGuard Partner Data", (string?)customizations.Root.Element("FieldSecurityProfiles")!.Element("FieldSecurityProfile")!.Attribute("name"));
    }

    private static XElement SystemColumn(string physicalName, string type, XElement? optionSet = null) =>
        new("attribute", new XAttribute("PhysicalName", physicalName), new XAttribute("unmodified", "1"),
            new XElement("Type", type),
            new XElement("Name", physicalName.ToLowerInvariant()),
            new XElement("LogicalName", physicalName.ToLowerInvariant()),
            new XElement("RequiredLevel", "none"),
            new XElement("ValidForUpdateApi", "1"), new XElement("ValidForReadApi", "1"), new XElement("ValidForCreateApi", "1"),
            new XElement("IsCustomField", "0"),
            new XElement("IntroducedVersion", "5.0.0.0"),
            new XElement("IsCustomizable", "1"),
            optionSet);

    private static XElement CustomColumn(string physicalName, string type, bool custom) =>
        new("attribute", new XAttribute("PhysicalName", physicalName),
            new XElement("Type", type),
            new XElement("Name", physicalName.ToLowerInvariant()),
            new XElement("LogicalName", physicalName.ToLowerInvariant()),
            new XElement("RequiredLevel", "none"),
            new XElement("ValidForUpdateApi", "1"), new XElement("ValidForReadApi", "1"), new XElement("ValidForCreateApi", "1"),
            new XElement("IsCustomField", custom ? "1" : "0"),
            new XElement("IntroducedVersion", "1.0.0.0"),
            new XElement("IsCustomizable", "1"));

    private static XElement With(XElement element, params XElement[] children)
    {
        element.Add(children);
        return element;
    }

    private static XElement Option(int value, string label) =>
        new("option", new XAttribute("value", value), new XElement("labels", new XElement("label", new XAttribute("description", label), new XAttribute("languagecode", "1033"))));

    private static void AddRootComponent(SolutionFixture fixture, XElement root) =>
        fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponents").Single().Add(root));

    /// <summary>A one-to-many relationship in the file of its referenced table, listed in Other/Relationships.xml, as exports write it.</summary>
    private static void AddRelationship(SolutionFixture fixture, string referenced, string name, string referencing, string attribute)
    {
        var file = fixture.At($"Other/Relationships/{referenced}.xml");
        var document = File.Exists(file) ? XDocument.Load(file) : new XDocument(new XElement("EntityRelationships"));
        document.Root!.Add(new XElement("EntityRelationship", new XAttribute("Name", name),
            new XElement("EntityRelationshipType", "OneToMany"),
            new XElement("IsCustomizable", "1"),
            new XElement("IntroducedVersion", "1.0.0.0"),
            new XElement("IsHierarchical", "0"),
            new XElement("ReferencingEntityName", referencing),
            new XElement("ReferencedEntityName", referenced),
            new XElement("CascadeAssign", "NoCascade"), new XElement("CascadeDelete", "Cascade"),
            new XElement("ReferencingAttributeName", attribute)));
        document.Save(file);
        fixture.Edit("Other/Relationships.xml", d => d.Root!.Add(new XElement("EntityRelationship", new XAttribute("Name", name))));
    }

    private static string Pack(SolutionFixture fixture) =>
        SolutionPacker.Pack(fixture.Options() with { Flavors = [PackageFlavor.Unmanaged] }).WrittenFiles.Single();

    private static XDocument PackUnmanaged(SolutionFixture fixture)
    {
        using var zip = ZipFile.OpenRead(Pack(fixture));
        return Customizations(zip);
    }

    private static XDocument Customizations(ZipArchive zip)
    {
        using var stream = zip.GetEntry("customizations.xml")!.Open();
        return XDocument.Load(stream);
    }

    private static XElement Entity(XDocument customizations, string name) =>
        customizations.Root!.Element("Entities")!.Elements("Entity").Single(e => (string?)e.Element("Name") == name);
}
