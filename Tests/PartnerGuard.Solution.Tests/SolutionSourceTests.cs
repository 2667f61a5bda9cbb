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
        // Assign, Share and AppendTo are not among them: every PartnerGuard role reads rules organization-wide and the
        // administrator writes and deletes them organization-wide, so owning or sharing a rule gives nobody anything,
        // and only a deal's rule lookup points to a rule, set by the plug-in in a seller's or the job's save.
        Assert.All(new[] { "Create", "Read", "Write", "Delete", "Append" },
            a => Assert.Equal("Global", privileges[$"prv{a}pg_DirectSalesRule"]));
        Assert.All(new[] { "AppendTo", "Assign", "Share" }, a => Assert.False(privileges.ContainsKey($"prv{a}pg_DirectSalesRule")));
        Assert.Equal("Global", privileges["prvWriteEnvironmentVariableValue"]);
        Assert.Equal("Global", privileges["prvCreateEnvironmentVariableValue"]);
    }

    [Fact]
    public void SellerRole_ReadsRulesAndRunsAndNothingElseOfPartnerGuard()
    {
        // The channel plugin reads rules and settings as SYSTEM, but the rule lookup it sets is part of the seller's own
        // save (AppendTo on the rule); the app's Rules and Runs areas show rules and runs, so the role reads them
        // (issue #13). No setting is read as the seller (issue #17: the minimality tests found nothing that needs it).
        // Accounts and deals a seller sees come from the seller's own sales role, at the depth the org chose.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["prvAppendTopg_DirectSalesRule"] = "Global",
                ["prvReadpg_DirectSalesRule"] = "Global",
                ["prvReadpg_ReassignmentRun"] = "Global",
            },
            Privileges("PartnerGuard Seller"));
    }

    /// <summary>
    /// Every table the PartnerGuard app's site map opens is readable through each role the app is given to, except the
    /// standard sales tables for sellers, who read accounts and deals through their own sales role (solution/README.md).
    /// </summary>
    [Fact]
    public void AppRoles_ReadEveryTableTheAppOpens()
    {
        var app = Assert.Single(Source.Solution.AppModules).Root;
        var siteMap = Assert.Single(Source.Solution.AppModuleSiteMaps).Root;
        var tables = siteMap.Descendants("SubArea").Select(s => (string?)s.Attribute("Entity")).OfType<string>().ToList();
        var fromSalesRole = new Dictionary<string, string[]> { ["PartnerGuard Seller"] = ["account", "opportunity"] };
        var roles = Source.Solution.Roles.ToDictionary(r => SourceIds.NormalizeId((string?)r.Root.Attribute("id"))!, r => (string)r.Root.Attribute("name")!);

        var appRoles = app.Descendants("Role").Select(r => roles[SourceIds.NormalizeId((string?)r.Attribute("id"))!]).Order().ToList();

        Assert.Equal(["PartnerGuard Administrator", "PartnerGuard Reassignment Job", "PartnerGuard Seller"], appRoles);
        Assert.Equal(["opportunity", "account", "pg_directsalesrule", "pg_reassignmentrun"], tables);
        foreach (var role in appRoles)
        {
            var privileges = Privileges(role);
            foreach (var table in tables.Except(fromSalesRole.GetValueOrDefault(role) ?? []))
            {
                var schemaName = Source.Solution.FindEntity(table)!.SchemaName;
                Assert.True(privileges.ContainsKey("prvRead" + schemaName), $"the role '{role}' cannot read '{table}', which the PartnerGuard app opens");
            }
        }
    }

    /// <summary>
    /// A component's id is its identity across versions: an upgrade matches the installed view, chart, form, dashboard by id,
    /// so a regenerated id would leave the old component behind and add a copy. These ids are pinned.
    /// </summary>
    [Fact]
    public void ModelDrivenComponents_KeepTheirIds()
    {
        var expected = new Dictionary<string, string>
        {
            ["view Open deals without a partner"] = "69eccd7a-57d0-5e68-bc89-a4509b08616c",
            ["view Deals by channel"] = "9315f7ac-3116-52e8-af1f-2bf8eb3b5c9d",
            ["view Deals handled direct, by rule"] = "345c270b-860b-55ed-a905-e141e11729cb",
            ["view Unresolved deals (audit mode)"] = "45f1c642-1d96-58be-a352-0a4a3358f114",
            ["view Bypassed deals"] = "8b23c4c3-3609-5997-a361-5de919fec7d0",
            ["view Deals in channel conflict"] = "9858ddc2-e9c5-56b4-8d90-6195c84d3819",
            ["view Customers without a partner (eligible)"] = "ca548dd5-8fe3-5e5f-a4e1-a1adce42d48a",
            ["view Customers by assigned partner"] = "fc903f54-7776-5e9e-b788-b0c8b1de86af",
            ["view Active partners"] = "3046fd81-e0ad-5af5-9347-77a4c7512659",
            ["view Partners by load"] = "cbe4b0da-c3f8-5001-a284-d01bfcde30b0",
            ["chart Channel mix of open deals"] = "fdfb49db-6c04-5721-8ebc-5ca5629363cf",
            ["chart Direct deals by rule"] = "3ac1f839-bbf4-50fe-bf71-12961cd6ec33",
            ["chart Customers per partner"] = "812ae049-c460-5b97-aad5-52a90724f36b",
            ["form Account (PartnerGuard)"] = "d13d208c-18f2-5f79-9e0e-1ffcb099f4e2",
            ["dashboard Channel health"] = "aaa4ee1a-f2db-5802-8f83-1d1507081b9a",
        };
        string Name(XElement component) => (string)component.Element("LocalizedNames")!.Elements("LocalizedName").First().Attribute("description")!;
        var entities = Source.Solution.Entities.Where(e => e.FolderName is "Account" or "Opportunity").ToList();
        var actual = entities.SelectMany(e => e.SavedQueries).Select(v => v.Root.Element("savedquery")!)
                .Select(q => ("view " + Name(q), SourceIds.NormalizeId((string?)q.Element("savedqueryid"))!))
            .Concat(entities.SelectMany(e => e.Visualizations).Select(c => ("chart " + Name(c.Root), SourceIds.NormalizeId((string?)c.Root.Element("savedqueryvisualizationid"))!)))
            .Concat(entities.SelectMany(e => e.Forms).Select(f => f.Document.Root.Element("systemform")!).Select(f => ("form " + Name(f), SourceIds.NormalizeId((string?)f.Element("formid"))!)))
            .Concat(Source.Solution.Dashboards.Select(d => ("dashboard " + Name(d.Root), SourceIds.NormalizeId((string?)d.Root.Element("FormId"))!)))
            .ToDictionary(p => p.Item1, p => p.Item2);

        // Pinned ids only: components added later (another table's form…) are not listed here.
        Assert.All(expected, p => Assert.Equal(p.Value, actual.GetValueOrDefault(p.Key)));
        Assert.Equal("pg_PartnerGuard", (string?)Assert.Single(Source.Solution.AppModules).Root.Element("UniqueName"));
    }

    /// <summary>
    /// Issue #17's minimality tests removed what nothing the job does needs: team read and AppendTo (assigning an account
    /// needs prvAssignAccount only, Learn "Assign message privileges"), currency read (the job never converts money) and
    /// AppendTo on rules (a deal the job names a partner on is recorded as Partner, never with a rule).
    /// </summary>
    [Fact]
    public void ReassignmentJobRole_HasExactlyTheLeastPrivilegeSet()
    {
        var expected = new Dictionary<string, string>
        {
            ["prvReadAccount"] = "Global", ["prvWriteAccount"] = "Global", ["prvAppendAccount"] = "Global",
            ["prvAppendToAccount"] = "Global", ["prvAssignAccount"] = "Global",
            ["prvReadOpportunity"] = "Global", ["prvWriteOpportunity"] = "Global", ["prvAppendOpportunity"] = "Global",
            ["prvReadContact"] = "Global",
            ["prvCreatepg_ReassignmentRun"] = "Basic", ["prvReadpg_ReassignmentRun"] = "Global", ["prvWritepg_ReassignmentRun"] = "Basic",
            ["prvReadpg_DirectSalesRule"] = "Global",
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
                ["PartnerGuard.Plugins.CheckChannel"] = "e2939bfa-a509-59f4-9bc2-8f9e7ed72dc2",
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
