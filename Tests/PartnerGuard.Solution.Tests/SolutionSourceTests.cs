using System.Text.RegularExpressions;
using System.Xml.Linq;
using PartnerGuard.Packer;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// The committed solution source says what DESIGN §2 and the solution issue say. The XML shapes follow real
/// unpacked exports in public repositories (pac / SolutionPackager layout): Entity.xml attributes and
/// EntityRelationships as in devkeydet/explicitpluginimpersonation (src/Entities/…/Entity.xml,
/// src/Other/Relationships/*.xml), steps and plugin assembly data as in mikefactorial/PluginSample
/// (src/SdkMessageProcessingSteps/{…}.xml, src/PluginAssemblies/…/Plugins.dll.data.xml), environment variable
/// definitions as in devkeydet/explicitpluginimpersonation (src/environmentvariabledefinitions/…).
/// </summary>
public sealed class SolutionSourceTests
{
    [Fact]
    public void Manifest_NamesThePartnerGuardPublisherAndAFourPartVersion()
    {
        var manifest = Source.Manifest;
        var publisher = manifest.Element("Publisher")!;

        Assert.Equal("PartnerGuard", (string?)manifest.Element("UniqueName"));
        Assert.Equal("PartnerGuard", (string?)publisher.Element("UniqueName"));
        Assert.Equal("pg", (string?)publisher.Element("CustomizationPrefix"));
        Assert.Equal("72310", (string?)publisher.Element("CustomizationOptionValuePrefix"));
        // Fact: versions are major.minor.build.revision and each release must be higher (update-solutions.md).
        Assert.Matches(SolutionRules.FourPartVersion(), (string?)manifest.Element("Version"));
        // Fact: 2 = source holding both flavours; the packer writes 0 or 1 (solution-format-notes §1.2, observed).
        Assert.Equal("2", (string?)manifest.Element("Managed"));
        // Fact: the package version must not be newer than the target org; this value is copied from a real 9.2 export.
        Assert.Equal("9.2", (string?)Source.Load("Other/Solution.xml").Root!.Attribute("SolutionPackageVersion"));
    }

    [Theory]
    [InlineData("pg", true)]
    [InlineData("partnerg", true)]
    [InlineData("p", false)]
    [InlineData("partnerg1", false)]
    [InlineData("1pg", false)]
    [InlineData("pg_x", false)]
    [InlineData("mscrmpg", false)]
    public void PublisherPrefixRule_FollowsDataverse(string prefix, bool valid)
    {
        // Fact: 2–8 letters or digits, starting with a letter, not "mscrm" (publisher table reference, maker docs).
        Assert.Equal(valid, SolutionRules.IsValidPrefix(prefix));
    }

    [Theory]
    [InlineData(9999, false)]
    [InlineData(10000, true)]
    [InlineData(72310, true)]
    [InlineData(99999, true)]
    [InlineData(100000, false)]
    public void OptionValuePrefixRule_FollowsDataverse(int prefix, bool valid) =>
        Assert.Equal(valid, SolutionRules.IsValidOptionValuePrefix(prefix));

    /// <summary>DESIGN §2: every column the plugins and the console use, with its type (and length where it has one).</summary>
    public static TheoryData<string, string, string, int?> DesignColumns => new()
    {
        { "Opportunity", "pg_partnerid", "lookup", null },
        { "Opportunity", "pg_channel", "picklist", null },
        { "Opportunity", "pg_directsalesruleid", "lookup", null },
        { "Opportunity", "pg_channelreason", "nvarchar", 2000 },
        { "Opportunity", "pg_channeldecidedon", "datetime", null },
        { "Account", "pg_assignedpartnerid", "lookup", null },
        { "Account", "pg_partnerassignedon", "datetime", null },
        { "Account", "pg_assignmentrun", "nvarchar", 100 },
        { "Account", "pg_partnercapacity", "int", null },
        { "Account", "pg_partnercountries", "nvarchar", 400 },
        { "Account", "pg_partnerteamid", "lookup", null },
        { "pg_DirectSalesRule", "pg_directsalesruleid", "primarykey", null },
        { "pg_DirectSalesRule", "pg_name", "nvarchar", 100 },
        { "pg_DirectSalesRule", "pg_kind", "picklist", null },
        { "pg_DirectSalesRule", "pg_measure", "picklist", null },
        { "pg_DirectSalesRule", "pg_threshold", "decimal", null },
        { "pg_DirectSalesRule", "pg_countries", "nvarchar", 400 },
        { "pg_DirectSalesRule", "pg_regions", "nvarchar", 400 },
        { "pg_DirectSalesRule", "pg_accountid", "lookup", null },
        { "pg_DirectSalesRule", "pg_includesubsidiaries", "bit", null },
        { "pg_DirectSalesRule", "pg_description", "ntext", 2000 },
        { "pg_DirectSalesRule", "pg_priority", "int", null },
        { "pg_DirectSalesRule", "pg_effectivefrom", "datetime", null },
        { "pg_DirectSalesRule", "pg_effectiveto", "datetime", null },
        { "pg_DirectSalesRule", "statecode", "state", null },
        { "pg_ReassignmentRun", "pg_reassignmentrunid", "primarykey", null },
        { "pg_ReassignmentRun", "pg_name", "nvarchar", 100 },
        { "pg_ReassignmentRun", "pg_startedon", "datetime", null },
        { "pg_ReassignmentRun", "pg_finishedon", "datetime", null },
        { "pg_ReassignmentRun", "pg_status", "picklist", null },
        { "pg_ReassignmentRun", "pg_strategy", "nvarchar", 100 },
        { "pg_ReassignmentRun", "pg_parameters", "ntext", 100000 },
        { "pg_ReassignmentRun", "pg_planned", "int", null },
        { "pg_ReassignmentRun", "pg_applied", "int", null },
        { "pg_ReassignmentRun", "pg_failed", "int", null },
        { "pg_ReassignmentRun", "pg_undone", "int", null },
    };

    [Theory]
    [MemberData(nameof(DesignColumns))]
    public void EveryDesignColumn_ExistsWithItsType(string entity, string column, string type, int? maxLength)
    {
        var attribute = Source.Attribute(entity, column);

        Assert.Equal(type, (string?)attribute.Element("Type"));
        if (maxLength is { } length)
        {
            Assert.Equal(length, (int?)attribute.Element("MaxLength"));
        }

        // Exports use SchemaName casing in PhysicalName and lower case in Name/LogicalName (observed).
        Assert.Equal(column, ((string)attribute.Attribute("PhysicalName")!).ToLowerInvariant());
        Assert.Equal(column, (string?)attribute.Element("Name"));
    }

    [Theory]
    [InlineData("Opportunity", "pg_PartnerId", "Account")]
    [InlineData("Opportunity", "pg_DirectSalesRuleId", "pg_DirectSalesRule")]
    [InlineData("Account", "pg_AssignedPartnerId", "Account")]
    [InlineData("Account", "pg_PartnerTeamId", "Team")]
    [InlineData("pg_DirectSalesRule", "pg_AccountId", "Account")]
    public void EveryLookup_HasARelationshipNamingItsTarget(string referencing, string lookup, string target)
    {
        // Fact: a lookup's target is not on the attribute; it comes from the one-to-many relationship, filed under
        // the referenced table (solution-format-notes §1.7, §2; devkeydet/explicitpluginimpersonation src/Other/Relationships/).
        var relationship = Assert.Single(Source.Relationships, r =>
            (string?)r.Element("ReferencingEntityName") == referencing && (string?)r.Element("ReferencingAttributeName") == lookup);
        Assert.Equal(target, (string?)relationship.Element("ReferencedEntityName"));
        Assert.Equal("OneToMany", (string?)relationship.Element("EntityRelationshipType"));
        // Fact: Web API navigation property of a lookup is its schema name (DESIGN §2).
        Assert.Contains(relationship.Descendants("EntityRelationshipRole"), r =>
            (string?)r.Element("RelationshipRoleType") == "1" && (string?)r.Element("NavigationPropertyName") == lookup);
        Assert.True(File.Exists(Path.Combine(RepoPaths.SolutionSource, "Other", "Relationships", target + ".xml")));
    }

    [Fact]
    public void ChannelChoice_IsGlobalWithTheDesignValues()
    {
        var optionSet = Source.Load("OptionSets/pg_channel.xml").Root!;

        Assert.Equal("1", (string?)optionSet.Element("IsGlobal"));
        Assert.Equal([(723100000, "Partner"), (723100001, "Direct"), (723100002, "Unresolved"), (723100003, "Bypassed")], Source.Options(optionSet));
        Assert.Equal("pg_channel", (string?)Source.Attribute("Opportunity", "pg_channel").Element("OptionSetName"));
    }

    public static TheoryData<string, string, int[]> LocalChoices => new()
    {
        { "pg_DirectSalesRule", "pg_kind", [723100000, 723100001, 723100002, 723100003, 723100004] },
        { "pg_DirectSalesRule", "pg_measure", [723100000, 723100001] },
        { "pg_ReassignmentRun", "pg_status", [723100000, 723100001, 723100002, 723100003, 723100004, 723100005, 723100006] },
    };

    [Theory]
    [MemberData(nameof(LocalChoices))]
    public void LocalChoices_HaveTheContractValuesWithThePublisherOptionPrefix(string entity, string column, int[] values)
    {
        var optionSet = Source.Attribute(entity, column).Element("optionset")!;

        Assert.Equal("0", (string?)optionSet.Element("IsGlobal"));
        Assert.Equal(values, Source.Options(optionSet).Select(o => o.Value));
        Assert.All(values, v => Assert.Equal(72310, v / 10000));
    }

    [Fact]
    public void RuleKindAndMeasureLabels_MatchTheContract()
    {
        Assert.Equal(["Customer size above", "Customer size below", "Geography", "Named account", "Deal size above"],
            Source.Options(Source.Attribute("pg_DirectSalesRule", "pg_kind").Element("optionset")!).Select(o => o.Label));
        Assert.Equal(["Annual revenue", "Employees"],
            Source.Options(Source.Attribute("pg_DirectSalesRule", "pg_measure").Element("optionset")!).Select(o => o.Label));
    }

    [Theory]
    [InlineData("pg_EnforcementMode", SolutionRules.EnvironmentVariableTypeString, "Audit")]
    [InlineData("pg_PartnerRelationshipTypes", SolutionRules.EnvironmentVariableTypeString, "5,9")]
    // Fact: Boolean environment variables store lower-case "yes"/"no" (microsoft/powerplatform-build-tools#477,
    // microsoft/coe-starter-kit#3691: the stored value is the text "yes").
    [InlineData("pg_AutoAttachAssignedPartner", SolutionRules.EnvironmentVariableTypeBoolean, "yes")]
    [InlineData("pg_ConflictPolicy", SolutionRules.EnvironmentVariableTypeString, "Block")]
    [InlineData("pg_BypassTeamId", SolutionRules.EnvironmentVariableTypeString, null)]
    public void EnvironmentVariables_HaveTheirTypeAndDefault(string schemaName, int type, string? defaultValue)
    {
        var definition = Source.EnvironmentVariable(schemaName);

        Assert.Equal(schemaName, (string?)definition.Attribute("schemaname"));
        Assert.Equal(type, (int?)definition.Element("type"));
        Assert.Equal(defaultValue, (string?)definition.Element("defaultvalue"));
        // Fact: a definition travels with the solution only with a type-380 root component (solution-format-notes §1.9).
        Assert.Contains(Source.Manifest.Descendants("RootComponent"), r => (string?)r.Attribute("type") == "380" && (string?)r.Attribute("schemaName") == schemaName);
    }

    private static Dictionary<string, string> Privileges(string role) =>
        Source.Role(role).Descendants("RolePrivilege").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("level")!);

    [Fact]
    public void AdministratorRole_MaintainsRulesAndSettings()
    {
        var privileges = Privileges("PartnerGuard Administrator");

        // Fact: privilege names are prv<Action><table schema name> (observed in exports, solution-format-notes §1.8).
        Assert.All(new[] { "Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share" },
            a => Assert.Equal("Global", privileges[$"prv{a}pg_DirectSalesRule"]));
        Assert.Equal("Global", privileges["prvWriteEnvironmentVariableValue"]);
        Assert.Equal("Global", privileges["prvCreateEnvironmentVariableValue"]);
    }

    [Fact]
    public void SellerRole_ReadsRulesAndNothingElseOfPartnerGuard()
    {
        // The channel plugin runs as the calling seller: it reads rules and settings and sets the rule lookup.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["prvAppendTopg_DirectSalesRule"] = "Global",
                ["prvReadEnvironmentVariableDefinition"] = "Global",
                ["prvReadEnvironmentVariableValue"] = "Global",
                ["prvReadpg_DirectSalesRule"] = "Global",
            },
            Privileges("PartnerGuard Seller"));
    }

    [Fact]
    public void ReassignmentJobRole_HasExactlyTheLeastPrivilegeSet()
    {
        var expected = new Dictionary<string, string>
        {
            ["prvReadAccount"] = "Global", ["prvWriteAccount"] = "Global", ["prvAppendAccount"] = "Global",
            ["prvAppendToAccount"] = "Global", ["prvAssignAccount"] = "Global",
            ["prvReadOpportunity"] = "Global", ["prvWriteOpportunity"] = "Global", ["prvAppendOpportunity"] = "Global",
            ["prvReadContact"] = "Global", ["prvReadTeam"] = "Global", ["prvAppendToTeam"] = "Global",
            ["prvReadTransactionCurrency"] = "Global",
            ["prvCreatepg_ReassignmentRun"] = "Basic", ["prvReadpg_ReassignmentRun"] = "Global", ["prvWritepg_ReassignmentRun"] = "Basic",
            ["prvReadpg_DirectSalesRule"] = "Global", ["prvAppendTopg_DirectSalesRule"] = "Global",
            ["prvReadEnvironmentVariableDefinition"] = "Global", ["prvReadEnvironmentVariableValue"] = "Global",
        };

        var actual = Privileges("PartnerGuard Reassignment Job");

        Assert.Equal(expected, actual);
        Assert.DoesNotContain(actual.Keys, k => k.StartsWith("prvDelete", StringComparison.Ordinal) || k.StartsWith("prvShare", StringComparison.Ordinal) || k.StartsWith("prvCreate", StringComparison.Ordinal) && k != "prvCreatepg_ReassignmentRun");
    }

    [Theory]
    [InlineData("pg_DirectSalesRule", "Direct Sales Rules")]
    [InlineData("pg_ReassignmentRun", "Reassignment Runs")]
    public void CustomTables_HaveAMainFormAndActiveAndInactiveViews(string entity, string plural)
    {
        var folder = Path.Combine(RepoPaths.SolutionSource, "Entities", entity);
        Assert.Single(Directory.GetFiles(Path.Combine(folder, "FormXml", "main"), "*.xml"));
        var views = Directory.GetFiles(Path.Combine(folder, "SavedQueries"), "*.xml").Select(f => XDocument.Load(f).Root!.Element("savedquery")!).ToList();

        XElement View(string name) => Assert.Single(views, v => (string?)v.Descendants("LocalizedName").First().Attribute("description") == name);
        string? StateFilter(XElement view) => (string?)view.Descendants("condition").SingleOrDefault(c => (string?)c.Attribute("attribute") == "statecode")?.Attribute("value");

        var active = View($"Active {plural}");
        var inactive = View($"Inactive {plural}");
        Assert.Equal("0", StateFilter(active));
        Assert.Equal("1", StateFilter(inactive));
        Assert.Equal("1", (string?)active.Element("isdefault"));
        Assert.Equal("0", (string?)active.Element("querytype")); // 0 = public view
    }

    /// <summary>
    /// Ids are how Dataverse matches components between versions: regenerated ids would create duplicates or
    /// orphans on upgrade (register-plug-in.md; solution-format-notes §4). These are committed and must never change.
    /// </summary>
    [Fact]
    public void ComponentIds_AreTheCommittedOnes()
    {
        var assembly = Source.PluginAssemblyData;
        Assert.Equal("1b037d6d-bd4e-595e-a19a-c7139bd6ac2e", (string?)assembly.Attribute("PluginAssemblyId"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PartnerGuard.Plugins.RequirePartnerOnOpportunity"] = "5b84e561-4418-5789-b414-33e3d0d58c81",
                ["PartnerGuard.Plugins.ValidateDirectSalesRule"] = "6edfd6d8-ba27-58c0-a1c5-065389e4102d",
            },
            assembly.Descendants("PluginType").ToDictionary(t => (string)t.Attribute("Name")!, t => SourceIds.NormalizeId((string?)t.Attribute("PluginTypeId"))!));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PartnerGuard.Plugins.RequirePartnerOnOpportunity: Create of opportunity"] = "7908cecc-6993-5d46-902e-40b9a094ff1c",
                ["PartnerGuard.Plugins.RequirePartnerOnOpportunity: Update of opportunity"] = "a6c31f3f-93cd-5193-bc00-1904bb8ce3c0",
                ["PartnerGuard.Plugins.ValidateDirectSalesRule: Create of pg_directsalesrule"] = "4be5509e-0e72-59d7-83bc-c7d3cf876c86",
                ["PartnerGuard.Plugins.ValidateDirectSalesRule: Update of pg_directsalesrule"] = "218b617b-7e5d-5ca4-8309-3b818834a6af",
            },
            Source.Steps.ToDictionary(s => (string)s.Step.Attribute("Name")!, s => SourceIds.NormalizeId((string?)s.Step.Attribute("SdkMessageProcessingStepId"))!));
    }

    [Fact]
    public void Steps_AreSynchronousWithRankOneAndPreImagesOnlyOnUpdate()
    {
        foreach (var (file, step) in Source.Steps)
        {
            Assert.True((string?)step.Element("Mode") == "0", $"{file}: Mode");
            Assert.True((string?)step.Element("Rank") == "1", $"{file}: Rank");
            var message = SourceIds.KnownMessages[SourceIds.NormalizeId((string?)step.Element("SdkMessageId"))!];
            var images = step.Descendants("SdkMessageProcessingStepImage").ToList();
            // Fact: Create has no pre-image (register-plug-in.md).
            Assert.True(message == "Update" ? images.Count == 1 : images.Count == 0, $"{file}: images on {message}");
            Assert.Matches(new Regex("^[a-z_,]*$"), (string?)step.Element("FilteringAttributes") ?? "");
        }
    }
}
