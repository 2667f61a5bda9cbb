using System.Reflection;
using System.Xml.Linq;
using PartnerGuard.Packer;
using PartnerGuard.Plugins;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// Registration drift: the solution's steps, columns, choices and settings against the plugin code
/// (Plugins' net10.0 build, by ProjectReference). PluginSteps.All is the one list the plugins check at run time.
/// </summary>
public sealed class PluginRegistrationTests
{
    private static readonly Assembly Plugins = typeof(PluginSteps).Assembly;

    private static string MessageOf(XElement step) =>
        SourceIds.KnownMessages[SourceIds.NormalizeId((string?)step.Element("SdkMessageId"))!];

    private static string TypeOf(XElement step) => ((string)step.Element("PluginTypeName")!).Split(',')[0].Trim();

    private static IReadOnlyList<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static TheoryData<int> StepIndexes
    {
        get
        {
            var data = new TheoryData<int>();
            for (var i = 0; i < PluginSteps.All.Count; i++)
            {
                data.Add(i);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(StepIndexes))]
    public void EveryExpectedStep_IsRegisteredExactlyAsThePluginExpects(int index)
    {
        var expected = PluginSteps.All[index];
        var (file, step) = Assert.Single(Source.Steps, s =>
            TypeOf(s.Step) == expected.PluginTypeName && MessageOf(s.Step) == expected.Message && (string?)s.Step.Element("PrimaryEntity") == expected.PrimaryEntity);

        Assert.True(expected.Stage == (int)step.Element("Stage")!, $"{file}: Stage");
        Assert.True(expected.Mode == (int)step.Element("Mode")!, $"{file}: Mode");
        Assert.Equal(expected.FilteringAttributes.Order(StringComparer.Ordinal), List((string?)step.Element("FilteringAttributes")).Order(StringComparer.Ordinal));
        var preImages = step.Descendants("SdkMessageProcessingStepImage").Where(i => (string?)i.Element("ImageType") is "0" or "2").ToList();
        if (expected.PreImageAlias is null)
        {
            Assert.Empty(preImages);
            return;
        }

        var image = Assert.Single(preImages, i => (string?)i.Element("EntityAlias") == expected.PreImageAlias);
        var columns = List((string?)image.Element("Attributes"));
        // An empty attribute list means "all columns"; otherwise it must cover every column the plugin reads.
        if (columns.Count > 0)
        {
            Assert.All(expected.PreImageColumns, c => Assert.Contains(c, columns));
        }
    }

    [Fact]
    public void EveryRegisteredStep_IsOneThePluginsExpect()
    {
        Assert.Equal(PluginSteps.All.Count, Source.Steps.Count());
        Assert.All(Source.Steps, s => Assert.Contains(PluginSteps.All, e =>
            e.PluginTypeName == TypeOf(s.Step) && e.Message == MessageOf(s.Step) && e.PrimaryEntity == (string?)s.Step.Element("PrimaryEntity")));
    }

    [Fact]
    public void EveryPluginTypeOfTheSolution_ExistsInThePluginAssemblyAsAnIPlugin()
    {
        var names = Source.PluginAssemblyData.Descendants("PluginType").Select(t => (string)t.Attribute("Name")!)
            .Concat(Source.Steps.Select(s => TypeOf(s.Step))).Distinct().ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name =>
        {
            var type = Plugins.GetType(name);
            Assert.True(type is not null, $"{name} is not a type of {Plugins.GetName().Name}");
            Assert.True(typeof(Microsoft.Xrm.Sdk.IPlugin).IsAssignableFrom(type) && type!.IsPublic && !type.IsAbstract, $"{name} is not a public, non-abstract IPlugin");
        });
    }

    [Fact]
    public void CommittedIdentityStrings_MatchTheBuiltPluginAssembly()
    {
        // The packer recomputes them from the DLL, but the emulator and readers of the source see the committed text.
        var fullName = AssemblyName.GetAssemblyName(TestPaths.PluginsNet10Dll).FullName;

        Assert.Equal(fullName, (string?)Source.PluginAssemblyData.Attribute("FullName"));
        Assert.Equal(fullName, (string?)Source.Manifest.Descendants("RootComponent").Single(r => (string?)r.Attribute("type") == "91").Attribute("schemaName"));
        Assert.All(Source.Steps, s => Assert.EndsWith(", " + fullName, (string)s.Step.Element("PluginTypeName")!, StringComparison.Ordinal));
    }

    public static TheoryData<string, string> PluginColumns
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var type in new[] { typeof(OpportunityColumns), typeof(AccountColumns), typeof(DirectSalesRuleColumns) })
            {
                var table = (string)type.GetField("Table")!.GetValue(null)!;
                foreach (var constant in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name is not ("Table" or "EntitySet") && !f.Name.EndsWith("Navigation", StringComparison.Ordinal)))
                {
                    var column = (string)constant.GetValue(null)!;
                    if (column.StartsWith("pg_", StringComparison.Ordinal))
                    {
                        data.Add(table, column);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PluginColumns))]
    public void EveryPartnerGuardColumnThePluginsUse_ExistsInTheEntityXml(string table, string column)
    {
        var folder = Directory.GetDirectories(Path.Combine(RepoPaths.SolutionSource, "Entities"))
            .Select(Path.GetFileName).Single(f => string.Equals(f, table, StringComparison.OrdinalIgnoreCase))!;

        Assert.Equal(column, (string?)Source.Attribute(folder, column).Element("LogicalName"));
    }

    public static TheoryData<string, string, string> PluginNavigations
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var type in new[] { typeof(OpportunityColumns), typeof(AccountColumns), typeof(DirectSalesRuleColumns) })
            {
                var table = (string)type.GetField("Table")!.GetValue(null)!;
                foreach (var constant in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("Navigation", StringComparison.Ordinal)))
                {
                    var lookup = (string)type.GetField(constant.Name[..^"Navigation".Length] + "Id")!.GetValue(null)!;
                    data.Add(table, lookup, (string)constant.GetValue(null)!);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PluginNavigations))]
    public void EveryLookupNavigationName_IsTheLookupsSchemaName(string table, string lookup, string navigation)
    {
        var folder = Directory.GetDirectories(Path.Combine(RepoPaths.SolutionSource, "Entities"))
            .Select(Path.GetFileName).Single(f => string.Equals(f, table, StringComparison.OrdinalIgnoreCase))!;

        Assert.Equal(navigation, (string?)Source.Attribute(folder, lookup).Attribute("PhysicalName"));
    }

    [Theory]
    [InlineData("pg_directsalesrule", DirectSalesRuleColumns.EntitySet)]
    [InlineData("pg_reassignmentrun", ReassignmentRunColumns.EntitySet)]
    public void EntitySetNamesInCode_MatchTheSolution(string table, string entitySet)
    {
        var folder = Directory.GetDirectories(Path.Combine(RepoPaths.SolutionSource, "Entities"))
            .Select(Path.GetFileName).Single(f => string.Equals(f, table, StringComparison.OrdinalIgnoreCase))!;

        Assert.Equal(entitySet, (string?)Source.Entity(folder).Descendants("EntitySetName").Single());
    }

    [Fact]
    public void ChoiceValuesInCode_MatchTheSolutionChoices()
    {
        Assert.Equal(
            Enum.GetValues<DirectSalesRuleKind>().Select(v => (int)v),
            Source.Options(Source.Attribute("pg_DirectSalesRule", "pg_kind").Element("optionset")!).Select(o => o.Value));
        Assert.Equal(
            Enum.GetValues<SizeMeasure>().Select(v => (int)v),
            Source.Options(Source.Attribute("pg_DirectSalesRule", "pg_measure").Element("optionset")!).Select(o => o.Value));
        Assert.Equal(
            [ChannelOptionValues.Partner, ChannelOptionValues.Direct, ChannelOptionValues.Unresolved, ChannelOptionValues.Bypassed],
            Source.Options(Source.Load("OptionSets/pg_channel.xml").Root!).Select(o => o.Value));
    }

    [Fact]
    public void SettingNamesInCode_AreTheSolutionsEnvironmentVariables()
    {
        Assert.Equal(
            SettingNames.All.Order(StringComparer.Ordinal),
            Directory.GetDirectories(Path.Combine(RepoPaths.SolutionSource, "environmentvariabledefinitions")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PackingTheRealSolutionWithThePluginAssembly_PassesTheGuards()
    {
        using var temp = new TempDirectory();

        var result = SolutionPacker.Pack(new PackOptions
        {
            SourceDirectory = RepoPaths.SolutionSource,
            OutputDirectory = temp.Path,
            PluginAssemblyPaths = [TestPaths.PluginsNet10Dll],
            AllowNonDeployablePlugin = true,
        });

        Assert.True(result.NotDeployable);
        foreach (var file in result.WrittenFiles)
        {
            var package = SolutionPackage.Read(file);
            Assert.Contains("solution.xml", package.EntryNames);
            Assert.Contains("customizations.xml", package.EntryNames);
            Assert.Contains("[Content_Types].xml", package.EntryNames);
            Assert.Empty(package.UnresolvedRootComponents());
            Assert.Equal(PluginSteps.All.Count, package.Steps.Count());
            Assert.All(package.Steps, s => Assert.Contains(PluginSteps.All, e =>
                e.PluginTypeName == TypeOf(s) && e.Message == MessageOf(s) && e.Stage == (int)s.Element("Stage")!));
        }
    }
}
