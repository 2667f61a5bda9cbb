using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using PartnerGuard.Solution.Tests.Fixtures;
using PartnerGuard.Packer;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// The packer on a full copy of solution/src whose plugin assembly is this test assembly (see SolutionFixture).
/// Container facts come from solution-format-notes.md §1.1 (observed in Dataverse exports: the three root files,
/// Deflate entries, no directory entries, customizations.xml first and [Content_Types].xml last).
/// </summary>
public sealed class PackerTests
{
    private static readonly string[] RootFiles = ["solution.xml", "customizations.xml", "[Content_Types].xml"];

    [Fact]
    public void Pack_Fixture_WritesUnmanagedAndManagedZipsWithTheRootFilesDataverseRequires()
    {
        using var fixture = new SolutionFixture();

        var result = SolutionPacker.Pack(fixture.Options());

        // Fact: import fails with 80048060 unless solution.xml, customizations.xml and [Content_Types].xml sit at the
        // zip root (community: bguidinger/Xrm.ReportScheduler#18, jlattimer/CRMRESTBuilder#33).
        Assert.Equal(
            [
                Path.Combine(fixture.Output, "PartnerGuard_1_0_0_0_STANDIN-NOT-DEPLOYABLE.zip"),
                Path.Combine(fixture.Output, "PartnerGuard_1_0_0_0_managed_STANDIN-NOT-DEPLOYABLE.zip"),
            ],
            result.WrittenFiles);
        foreach (var (file, managed) in result.WrittenFiles.Zip(["0", "1"]))
        {
            using var zip = ZipFile.OpenRead(file);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.All(RootFiles, root => Assert.Contains(root, names));
            Assert.Equal("customizations.xml", names[0]);
            Assert.Equal("solution.xml", names[1]);
            Assert.Equal("[Content_Types].xml", names[^1]);
            Assert.DoesNotContain(names, n => n.EndsWith('/') || n.Contains('\\'));
            Assert.Contains($"PluginAssemblies/{Path.GetFileName(fixture.PluginFolder)}/{SolutionFixture.AssemblyName}.dll", names);
            Assert.Contains("environmentvariabledefinitions/pg_EnforcementMode/environmentvariabledefinition.xml", names);
            Assert.All(zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal)), e => Assert.True(e.CompressedLength < e.Length, e.FullName));

            var package = SolutionPackage.Read(file);
            // Fact: the zip's Managed is 0 or 1; 2 ("both") exists only in unpacked source (solution-format-notes §1.2).
            Assert.Equal(managed, package.Managed);
        }
    }

    [Fact]
    public void Pack_SameInputTwice_WritesByteIdenticalZips()
    {
        using var fixture = new SolutionFixture();

        var first = SolutionPacker.Pack(fixture.Options(output: fixture.Output + "-1"));
        var second = SolutionPacker.Pack(fixture.Options(output: fixture.Output + "-2"));

        Assert.Equal(2, first.WrittenFiles.Count);
        foreach (var (a, b) in first.WrittenFiles.Zip(second.WrittenFiles))
        {
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }

        using var zip = ZipFile.OpenRead(first.WrittenFiles[0]);
        Assert.All(zip.Entries, e => Assert.Equal(SolutionPacker.EntryTimestamp.DateTime, e.LastWriteTime.DateTime));
    }

    [Fact]
    public void Pack_ReadBack_HoldsTheSameComponentsAsTheSource()
    {
        using var fixture = new SolutionFixture();
        var managedZip = SolutionPacker.Pack(fixture.Options()).WrittenFiles[1];

        var package = SolutionPackage.Read(managedZip);
        var source = XDocument.Load(fixture.At("Other/Solution.xml")).Root!.Element("SolutionManifest")!;

        Assert.Empty(package.UnresolvedRootComponents());
        Assert.Equal(
            source.Element("RootComponents")!.Elements().Select(r => ((string)r.Attribute("type")!, SourceIds.NormalizeId((string?)r.Attribute("id")) ?? (string?)r.Attribute("schemaName"))),
            package.RootComponents.Select(r => (r.Type.ToString(), r.Id ?? r.SchemaName)));
        Assert.Equal(["Account", "Opportunity", "pg_DirectSalesRule", "pg_ReassignmentRun"], package.Entities.Select(e => (string)e.Element("Name")!).Order(StringComparer.Ordinal));
        Assert.Equal(Directory.GetFiles(fixture.At("SdkMessageProcessingSteps")).Select(f => SourceIds.NormalizeId(Path.GetFileNameWithoutExtension(f))).Order(),
            package.Steps.Select(s => SourceIds.NormalizeId((string?)s.Attribute("SdkMessageProcessingStepId"))).Order());
        Assert.Equal(["PartnerGuard Administrator", "PartnerGuard Reassignment Job", "PartnerGuard Seller"], package.Roles.Select(r => (string)r.Attribute("name")!));
        Assert.Equal(["pg_channel"], package.OptionSets.Select(o => (string)o.Attribute("Name")!));
        var indexed = XDocument.Load(fixture.At("Other/Relationships.xml")).Root!.Elements().Select(e => (string)e.Attribute("Name")!).Order(StringComparer.Ordinal);
        Assert.Equal(indexed, package.Relationships.Select(r => (string)r.Attribute("Name")!));
        Assert.Equal(File.ReadAllBytes(TestPaths.TestAssemblyDll), package.Entries[$"PluginAssemblies/{Path.GetFileName(fixture.PluginFolder)}/{SolutionFixture.AssemblyName}.dll"]);
        foreach (var variable in Directory.GetDirectories(fixture.At("environmentvariabledefinitions")))
        {
            var name = Path.GetFileName(variable);
            Assert.Equal(File.ReadAllBytes(Path.Combine(variable, "environmentvariabledefinition.xml")),
                package.Entries[$"environmentvariabledefinitions/{name}/environmentvariabledefinition.xml"]);
        }
    }

    [Fact]
    public void Pack_MergesFormsViewsAndRibbonIntoTheirEntity()
    {
        using var fixture = new SolutionFixture();
        var package = SolutionPackage.Read(SolutionPacker.Pack(fixture.Options()).WrittenFiles[0]);

        var rule = package.Entities.Single(e => (string?)e.Element("Name") == "pg_DirectSalesRule");
        var forms = rule.Element("FormXml")!.Elements("forms").ToList();
        Assert.Equal("main", (string?)Assert.Single(forms).Attribute("type"));
        Assert.Single(forms[0].Elements("systemform"));
        Assert.Equal(5, rule.Element("SavedQueries")!.Element("savedqueries")!.Elements("savedquery").Count());
        Assert.NotNull(rule.Element("RibbonDiffXml")!.Element("CustomActions"));
        // Fragments lose their own xmlns:xsi: the document root declares it once.
        Assert.DoesNotContain(package.Customizations.Root!.Descendants(), e => e != package.Customizations.Root && e.Attributes().Any(a => a.IsNamespaceDeclaration));
    }

    [Fact]
    public void Pack_WritesContentTypesForEveryExtension()
    {
        using var fixture = new SolutionFixture();
        var package = SolutionPackage.Read(SolutionPacker.Pack(fixture.Options()).WrittenFiles[0]);

        // Fact: [Content_Types].xml is OPC: one Default per extension present (solution-format-notes §1.1, observed).
        var types = XDocument.Load(new MemoryStream(package.Entries["[Content_Types].xml"]));
        XNamespace ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        Assert.Equal(ns + "Types", types.Root!.Name);
        Assert.Equal(["dll", "xml"], types.Root.Elements(ns + "Default").Select(d => (string)d.Attribute("Extension")!));
        Assert.Equal([0xEF, 0xBB, 0xBF], package.Entries["[Content_Types].xml"][..3]);
        // Fact: Dataverse writes solution.xml and customizations.xml without an XML declaration (observed in exports).
        Assert.StartsWith("<ImportExportXml", System.Text.Encoding.UTF8.GetString(package.Entries["solution.xml"]), StringComparison.Ordinal);
        Assert.StartsWith("<ImportExportXml", System.Text.Encoding.UTF8.GetString(package.Entries["customizations.xml"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_ComputesAssemblyIdentityFromTheBuiltDll_NotFromTheSourceText()
    {
        using var fixture = new SolutionFixture();
        var wrongToken = "PublicKeyToken=0000000000000000";
        var data = Directory.GetFiles(fixture.PluginFolder, "*.data.xml").Single();
        File.WriteAllText(data, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(data), "PublicKeyToken=[0-9a-f]{16}", wrongToken));
        var solution = fixture.At("Other/Solution.xml");
        File.WriteAllText(solution, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(solution), "PublicKeyToken=[0-9a-f]{16}", wrongToken));

        var package = SolutionPackage.Read(SolutionPacker.Pack(fixture.Options()).WrittenFiles[0]);

        // The runtime's own reading of the DLL is the reference for FullName (register-plug-in.md: all identity strings must match the DLL).
        var expected = AssemblyName.GetAssemblyName(TestPaths.TestAssemblyDll).FullName;
        var assembly = Assert.Single(package.PluginAssemblies);
        Assert.Equal(expected, (string?)assembly.Attribute("FullName"));
        Assert.Equal(expected, package.RootComponents.Single(r => r.Type == 91).SchemaName);
        Assert.All(assembly.Descendants("PluginType"), t => Assert.Equal($"{(string?)t.Attribute("Name")}, {expected}", (string?)t.Attribute("AssemblyQualifiedName")));
        Assert.All(package.Steps, s => Assert.EndsWith(", " + expected, (string?)s.Element("PluginTypeName"), StringComparison.Ordinal));
    }

    [Fact]
    public void Pack_StandInPluginWithoutTheFlag_IsRefusedWithHowToBuildTheDeployableOne()
    {
        using var fixture = new SolutionFixture();

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options(allowStandIn: false)));

        var problem = Assert.Single(ex.Problems, p => p.Message.Contains("stand-in", StringComparison.Ordinal));
        Assert.Equal(TestPaths.TestAssemblyDll, problem.File);
        Assert.Contains("-p:XrmSdk=Package", problem.Message, StringComparison.Ordinal);
        Assert.Contains("-p:XrmSdk=Assemblies -p:XrmSdkAssemblyDirectory=DIR", problem.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Output) && Directory.EnumerateFiles(fixture.Output).Any());
    }

    // Platform facts behind the cases (sources in solution-format-notes.md):
    // - no pre-image on Create; post-images and asynchronous steps only in stage 40 (register-plug-in.md);
    // - Boolean environment variables store "yes"/"no" (microsoft/powerplatform-build-tools#477);
    // - versions have four parts (update-solutions.md); prefix 2–8 alphanumerics, not "mscrm"; option values carry
    //   the publisher's option value prefix only by default, so values without it are accepted (ExportedShapeTests);
    // - every root component must resolve inside the package and vice versa, or SolutionPackager/import fails
    //   (community: scottdurow/SparkleXrm#210, WaelHamze/xrm-ci-framework#54);
    // - ids identify components across versions, so a duplicate id is two components claiming one identity (register-plug-in.md).
    public static TheoryData<string, string, string> MalformedSources => new()
    {
        { "broken-xml", "SdkMessageProcessingSteps/{step}", "is not well-formed XML" },
        { "missing-type", "PluginAssemblies/{asm}", "'PartnerGuard.Solution.Tests.Fixtures.NoSuchPlugin' does not exist in PartnerGuard.Solution.Tests.dll" },
        { "not-a-plugin", "PluginAssemblies/{asm}", "must be a public, non-abstract class implementing Microsoft.Xrm.Sdk.IPlugin" },
        { "duplicate-id", "Roles/PartnerGuard Seller.xml", "is already used by the step" },
        { "duplicate-column", "Entities/Opportunity/Entity.xml", "the column 'pg_partnerid' is defined twice" },
        { "root-without-folder", "Other/Solution.xml", "has no environmentvariabledefinitions/pg_ConflictPolicy/ folder" },
        { "folder-without-root", "environmentvariabledefinitions/pg_Extra/environmentvariabledefinition.xml", "is not a root component in Other/Solution.xml (type 380)" },
        { "boolean-default", "environmentvariabledefinitions/pg_AutoAttachAssignedPartner/environmentvariabledefinition.xml", "stores 'yes' or 'no'; the default is 'true'" },
        { "three-part-version", "Other/Solution.xml", "must have four numeric parts" },
        { "bad-prefix", "Other/Solution.xml", "CustomizationPrefix 'mscrmx'" },
        { "pre-image-on-create", "SdkMessageProcessingSteps/{create}", "is a pre-image on Create" },
        { "unknown-filter-column", "SdkMessageProcessingSteps/{step}", "the filtering attribute 'pg_nosuchcolumn' is not a column of 'opportunity'" },
        { "image-column-missing", "SdkMessageProcessingSteps/{rule-update}", "'pg_notacolumn' is not a column of 'pg_directsalesrule'" },
        { "async-prevalidation", "SdkMessageProcessingSteps/{step}", "must be registered in stage 40" },
        { "unknown-type-id", "SdkMessageProcessingSteps/{step}", "names no plugin type" },
        { "lookup-without-relationship", "Entities/Account/Entity.xml", "the lookup 'pg_secondpartnerid' has no relationship" },
        { "unknown-folder", "Workflows", "the packer does not pack processes (workflows, business process flows, cloud flows) ('Workflows/')" },
        { "unknown-entity-entry", "Entities/Account/Strings", "the packer does not know 'Entities/Account/Strings'" },
        { "unknown-other-file", "Other/SiteMap.xml", "the packer does not pack site maps ('Other/SiteMap.xml')" },
        { "formula-without-file", "Entities/Account/Entity.xml", "has no file Entities/Account/Formulas/account-pg_missing.xaml" },
        { "formula-without-column", "Entities/Account/Formulas/account-pg_orphan.xaml", "no column of 'Account' names this formula" },
        { "view-unknown-column", "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml", "the column 'opportunity.pg_nosuchcolumn' does not exist" },
        { "view-unknown-link-column", "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml", "the column 'account.pg_nosuchpartner' does not exist" },
        { "view-cell-not-fetched", "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml", "the grid column 'description' is not an attribute of the view's FetchXML" },
        { "view-unknown-alias", "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml", "valueof 'partner.pg_assignedpartnerid' names the alias 'partner'" },
        { "chart-unknown-column", "Entities/Opportunity/Visualizations/{fdfb49db-6c04-5721-8ebc-5ca5629363cf}.xml", "the column 'opportunity.pg_nosuchchannel' does not exist" },
        { "chart-measure-not-aggregated", "Entities/Opportunity/Visualizations/{fdfb49db-6c04-5721-8ebc-5ca5629363cf}.xml", "the measure 'value_column' is not the alias of an aggregate attribute" },
        { "dashboard-unknown-view", "Dashboards/{aaa4ee1a-f2db-5802-8f83-1d1507081b9a}.xml", "the dashboard shows the view {00000000-0000-0000-0000-000000000001}, which is not a view of this solution" },
        { "dashboard-spanned-rows-missing", "Dashboards/{aaa4ee1a-f2db-5802-8f83-1d1507081b9a}.xml", "spans 12 rows, so the 11 rows after it must be empty <row /> elements" },
        { "dashboard-without-root", "Dashboards/{aaa4ee1a-f2db-5802-8f83-1d1507081b9a}.xml", "the dashboard is not a root component in Other/Solution.xml (type 60)" },
        { "app-unknown-view", "AppModules/pg_PartnerGuard/AppModule.xml", "the app component of type 26 '{00000000-0000-0000-0000-000000000002}' is not a component of this solution" },
        { "app-unknown-role", "AppModules/pg_PartnerGuard/AppModule.xml", "the app is given to the role {00000000-0000-0000-0000-000000000003}, which is not a role of this solution" },
        { "sitemap-table-not-in-app", "AppModuleSiteMaps/pg_PartnerGuard/AppModuleSiteMap.xml", "the subarea 'pg_Deals' opens the table 'contact', which is not a table of this solution included in the app" },
        { "form-unknown-field", "Entities/Account/FormXml/main/{d13d208c-18f2-5f79-9e0e-1ffcb099f4e2}.xml", "the control 'pg_partnercountries' shows the column 'pg_partnercountry', which the table 'account' does not have" },
        { "view-not-a-root-component", "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml", "so this view must be a root component in Other/Solution.xml (type 26)" },
        { "views-without-placeholder", "Entities/Opportunity/Entity.xml", "Entity.xml has no <SavedQueries /> element to carry them" },
    };

    [Theory]
    [MemberData(nameof(MalformedSources))]
    public void Pack_MalformedSource_FailsNamingTheFileAndTheProblem_AndWritesNoZip(string breakage, string expectedFile, string expectedMessage)
    {
        using var fixture = new SolutionFixture();
        var updateStep = fixture.StepFile("Update", "opportunity");
        var createStep = fixture.StepFile("Create", "opportunity");
        var ruleUpdateStep = fixture.StepFile("Update", "pg_directsalesrule");
        var assemblyData = Directory.GetFiles(fixture.PluginFolder, "*.data.xml").Single();
        string Relative(string full) => Path.GetRelativePath(fixture.Source, full).Replace('\\', '/');
        Break(fixture, breakage, updateStep, createStep, ruleUpdateStep, assemblyData);

        var ex = Assert.Throws<SolutionPackException>(() => SolutionPacker.Pack(fixture.Options()));

        var file = expectedFile
            .Replace("SdkMessageProcessingSteps/{step}", Relative(updateStep), StringComparison.Ordinal)
            .Replace("SdkMessageProcessingSteps/{create}", Relative(createStep), StringComparison.Ordinal)
            .Replace("SdkMessageProcessingSteps/{rule-update}", Relative(ruleUpdateStep), StringComparison.Ordinal)
            .Replace("PluginAssemblies/{asm}", Relative(assemblyData), StringComparison.Ordinal);
        Assert.Contains(ex.Problems, p => p.File == file && p.Message.Contains(expectedMessage, StringComparison.Ordinal));
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(fixture.Output), "no zip (not even the output folder) may be written when packing fails");
    }

    /// <summary>The "Deals in channel conflict" view: a link-entity, its alias in a grid cell and a cross-table valueof.</summary>
    private const string ConflictView = "Entities/Opportunity/SavedQueries/{9858ddc2-e9c5-56b4-8d90-6195c84d3819}.xml";

    private const string Chart = "Entities/Opportunity/Visualizations/{fdfb49db-6c04-5721-8ebc-5ca5629363cf}.xml";
    private const string Dashboard = "Dashboards/{aaa4ee1a-f2db-5802-8f83-1d1507081b9a}.xml";
    private const string App = "AppModules/pg_PartnerGuard/AppModule.xml";
    private const string SiteMap = "AppModuleSiteMaps/pg_PartnerGuard/AppModuleSiteMap.xml";

    private static void Break(SolutionFixture fixture, string breakage, string updateStep, string createStep, string ruleUpdateStep, string assemblyData)
    {
        XDocument Load(string path) => XDocument.Load(path);
        void Save(XDocument document, string path) => document.Save(path);
        switch (breakage)
        {
            case "broken-xml":
                File.WriteAllText(updateStep, File.ReadAllText(updateStep).Replace("</Stage>", "</Stag>", StringComparison.Ordinal));
                break;
            case "missing-type":
            {
                var text = File.ReadAllText(assemblyData).Replace("Fixtures.ValidateDirectSalesRule", "Fixtures.NoSuchPlugin", StringComparison.Ordinal);
                File.WriteAllText(assemblyData, text);
                break;
            }

            case "not-a-plugin":
                File.WriteAllText(assemblyData, File.ReadAllText(assemblyData).Replace("Fixtures.ValidateDirectSalesRule", "Fixtures.NotAPlugin", StringComparison.Ordinal));
                break;
            case "duplicate-id":
                fixture.Edit("Roles/PartnerGuard Seller.xml", d => d.Root!.SetAttributeValue("id", Load(updateStep).Root!.Attribute("SdkMessageProcessingStepId")!.Value));
                break;
            case "duplicate-column":
                fixture.Edit("Entities/Opportunity/Entity.xml", d =>
                {
                    var attributes = d.Descendants("attributes").Single();
                    attributes.Add(new XElement(attributes.Elements().Single(a => (string?)a.Attribute("PhysicalName") == "pg_PartnerId")));
                });
                break;
            case "root-without-folder":
                Directory.Delete(fixture.At("environmentvariabledefinitions/pg_ConflictPolicy"), recursive: true);
                break;
            case "folder-without-root":
            {
                var folder = fixture.At("environmentvariabledefinitions/pg_Extra");
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, "environmentvariabledefinition.xml"),
                    "<environmentvariabledefinition schemaname=\"pg_Extra\"><type>100000000</type></environmentvariabledefinition>");
                break;
            }

            case "boolean-default":
                fixture.Edit("environmentvariabledefinitions/pg_AutoAttachAssignedPartner/environmentvariabledefinition.xml", d => d.Root!.Element("defaultvalue")!.Value = "true");
                break;
            case "three-part-version":
                fixture.Edit("Other/Solution.xml", d => d.Descendants("Version").Single().Value = "1.0.0");
                break;
            case "bad-prefix":
                fixture.Edit("Other/Solution.xml", d => d.Descendants("CustomizationPrefix").Single().Value = "mscrmx");
                break;
            case "pre-image-on-create":
            {
                var create = Load(createStep);
                create.Root!.Add(new XElement(Load(updateStep).Root!.Element("SdkMessageProcessingStepImages")!));
                create.Root.Descendants("SdkMessageProcessingStepImageId").Single().Value = "{" + Guid.NewGuid() + "}";
                Save(create, createStep);
                break;
            }

            case "unknown-filter-column":
            {
                var update = Load(updateStep);
                update.Root!.Element("FilteringAttributes")!.Value += ",pg_nosuchcolumn";
                Save(update, updateStep);
                break;
            }

            case "image-column-missing":
            {
                var update = Load(ruleUpdateStep);
                update.Root!.Descendants("Attributes").Single().Value += ",pg_notacolumn";
                Save(update, ruleUpdateStep);
                break;
            }

            case "async-prevalidation":
            {
                var update = Load(updateStep);
                update.Root!.Element("Mode")!.Value = "1";
                Save(update, updateStep);
                break;
            }

            case "unknown-type-id":
            {
                var update = Load(updateStep);
                update.Root!.Element("PluginTypeId")!.Value = Guid.NewGuid().ToString();
                Save(update, updateStep);
                break;
            }

            case "lookup-without-relationship":
                fixture.Edit("Entities/Account/Entity.xml", d =>
                {
                    var attributes = d.Descendants("attributes").Single();
                    var copy = new XElement(attributes.Elements().Single(a => (string?)a.Attribute("PhysicalName") == "pg_AssignedPartnerId"));
                    copy.SetAttributeValue("PhysicalName", "pg_SecondPartnerId");
                    copy.Element("Name")!.Value = "pg_secondpartnerid";
                    copy.Element("LogicalName")!.Value = "pg_secondpartnerid";
                    attributes.Add(copy);
                });
                break;
            case "unknown-folder":
                Directory.CreateDirectory(fixture.At("Workflows"));
                break;
            case "unknown-entity-entry":
                Directory.CreateDirectory(fixture.At("Entities/Account/Strings"));
                break;
            case "unknown-other-file":
                File.WriteAllText(fixture.At("Other/SiteMap.xml"), "<SiteMap />");
                break;
            case "formula-without-file":
                fixture.Edit("Entities/Account/Entity.xml", d => d.Descendants("attribute").First().Add(new XElement("FormulaDefinitionFileName", "/Formulas/account-pg_missing.xaml")));
                break;
            case "formula-without-column":
                Directory.CreateDirectory(fixture.At("Entities/Account/Formulas"));
                File.WriteAllText(fixture.At("Entities/Account/Formulas/account-pg_orphan.xaml"), "<Activity />");
                break;
            case "view-unknown-column":
                fixture.Edit(ConflictView, d => d.Descendants("order").Single().SetAttributeValue("attribute", "pg_nosuchcolumn"));
                break;
            case "view-unknown-link-column":
                fixture.Edit(ConflictView, d => d.Descendants("link-entity").Single().Element("attribute")!.SetAttributeValue("name", "pg_nosuchpartner"));
                break;
            case "view-cell-not-fetched":
                fixture.Edit(ConflictView, d => d.Descendants("row").Single().Add(new XElement("cell", new XAttribute("name", "description"), new XAttribute("width", "100"))));
                break;
            case "view-unknown-alias":
                fixture.Edit(ConflictView, d => d.Descendants("condition").Single(c => c.Attribute("valueof") is not null).SetAttributeValue("valueof", "partner.pg_assignedpartnerid"));
                break;
            case "chart-unknown-column":
                fixture.Edit(Chart, d => d.Descendants("attribute").Single(a => (string?)a.Attribute("groupby") == "true").SetAttributeValue("name", "pg_nosuchchannel"));
                break;
            case "chart-measure-not-aggregated":
                fixture.Edit(Chart, d => d.Descendants("attribute").Single(a => (string?)a.Attribute("alias") == "value_column").Attribute("aggregate")!.Remove());
                break;
            case "dashboard-unknown-view":
                fixture.Edit(Dashboard, d => d.Descendants("ViewId").First().Value = "{00000000-0000-0000-0000-000000000001}");
                break;
            case "dashboard-spanned-rows-missing":
                fixture.Edit(Dashboard, d => d.Descendants("row").Where(r => !r.HasElements).Take(11).Remove());
                break;
            case "dashboard-without-root":
                fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponent").Single(r => (string?)r.Attribute("type") == "60" && SourceIds.NormalizeId((string?)r.Attribute("id")) == "aaa4ee1a-f2db-5802-8f83-1d1507081b9a").Remove());
                break;
            case "app-unknown-view":
                fixture.Edit(App, d => d.Descendants("AppModuleComponent").First(c => (string?)c.Attribute("type") == "26").SetAttributeValue("id", "{00000000-0000-0000-0000-000000000002}"));
                break;
            case "app-unknown-role":
                fixture.Edit(App, d => d.Descendants("Role").First().SetAttributeValue("id", "{00000000-0000-0000-0000-000000000003}"));
                break;
            case "sitemap-table-not-in-app":
                fixture.Edit(SiteMap, d => d.Descendants("SubArea").Single(a => (string?)a.Attribute("Id") == "pg_Deals").SetAttributeValue("Entity", "contact"));
                break;
            case "form-unknown-field":
                fixture.Edit("Entities/Account/FormXml/main/{d13d208c-18f2-5f79-9e0e-1ffcb099f4e2}.xml",
                    d => d.Descendants("control").Single(c => (string?)c.Attribute("datafieldname") == "pg_partnercountries").SetAttributeValue("datafieldname", "pg_partnercountry"));
                break;
            case "view-not-a-root-component":
                fixture.Edit("Other/Solution.xml", d => d.Descendants("RootComponent").Single(r => SourceIds.NormalizeId((string?)r.Attribute("id")) == "9858ddc2-e9c5-56b4-8d90-6195c84d3819").Remove());
                break;
            case "views-without-placeholder":
                fixture.Edit("Entities/Opportunity/Entity.xml", d => d.Root!.Element("SavedQueries")!.Remove());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null);
        }
    }

    [Fact]
    public void PluginAssemblyMetadata_ReadsIdentityAndPluginTypesWithoutLoadingTheAssembly()
    {
        var metadata = PluginAssemblyMetadata.Read(TestPaths.TestAssemblyDll);
        var runtime = AssemblyName.GetAssemblyName(TestPaths.TestAssemblyDll);

        Assert.Equal(runtime.FullName, metadata.FullName);
        Assert.True(metadata.IsStrongNameSigned);
        Assert.True(metadata.ReferencesStandInSdk);
        Assert.False(metadata.ReferencesOfficialSdk);
        Assert.False(metadata.TargetsNetFramework);
        Assert.True(metadata.FindType(typeof(RequirePartnerOnOpportunity).FullName!)!.ImplementsIPlugin);
        Assert.True(metadata.FindType(typeof(ValidateDirectSalesRule).FullName!)!.ImplementsIPlugin); // through its base class
        Assert.True(metadata.FindType(typeof(FixturePluginBase).FullName!)!.IsAbstract);
        Assert.False(metadata.FindType(typeof(NotAPlugin).FullName!)!.ImplementsIPlugin);
    }

    [Fact]
    public void PackCommand_PacksAndReportsProblemsInMsBuildErrorFormat()
    {
        using var fixture = new SolutionFixture();
        var output = new StringWriter();
        var error = new StringWriter();

        var ok = PackCommand.Run(["--source", fixture.Source, "--out", fixture.Output, "--plugin", TestPaths.TestAssemblyDll, "--allow-stand-in", "--flavor", "managed"], output, error);

        Assert.Equal(0, ok);
        Assert.Equal(["PartnerGuard_1_0_0_0_managed_STANDIN-NOT-DEPLOYABLE.zip"], Directory.GetFiles(fixture.Output).Select(Path.GetFileName));
        Assert.Contains("NOT DEPLOYABLE", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning PGSOL100:", error.ToString(), StringComparison.Ordinal);

        var refusedOut = new StringWriter();
        var refused = new StringWriter();
        var step = fixture.StepFile("Update", "opportunity");
        File.WriteAllText(step, File.ReadAllText(step).Replace("<Stage>20</Stage>", "<Stage>30</Stage>", StringComparison.Ordinal));
        var failed = PackCommand.Run(["--source", fixture.Source, "--out", fixture.Output + "-2", "--plugin", TestPaths.TestAssemblyDll, "--allow-stand-in"], refusedOut, refused);

        Assert.Equal(1, failed);
        Assert.Matches(@$"{System.Text.RegularExpressions.Regex.Escape(step)}\(\d+\): error PGSOL002: Stage '30' must be 10", refused.ToString());
        Assert.False(Directory.Exists(fixture.Output + "-2"));
    }

    [Theory]
    [InlineData(new string[0], "--source and --out are required")]
    [InlineData(new[] { "--source" }, "--source needs a value")]
    [InlineData(new[] { "--bogus" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "--source", "a", "--out", "b", "--flavor", "odd" }, "--flavor must be both, managed or unmanaged")]
    public void PackCommand_BadUsage_ExitsOneWithAMessage(string[] args, string message)
    {
        var error = new StringWriter();

        Assert.Equal(1, PackCommand.Run(args, new StringWriter(), error));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }
}
