using PartnerGuard.Policy.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Policy.Tests;

public sealed class ChannelSettingsParserTests
{
    [Fact]
    public void Parse_NoValues_GivesTheDocumentedDefaults()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?>());

        Assert.Null(settings.Problem);
        Assert.Equal(EnforcementMode.Audit, settings.Mode);
        Assert.Equal(new[] { 5, 9 }, settings.PartnerRelationshipTypes);
        Assert.True(settings.AutoAttachAssignedPartner);
        Assert.Equal(ConflictPolicy.Block, settings.ConflictPolicy);
        Assert.Null(settings.BypassTeamId);
    }

    [Fact]
    public void Parse_ValidValuesInAnyCase_AreRead()
    {
        var team = TestIds.Named("team bypass");
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?>
        {
            ["PG_ENFORCEMENTMODE"] = " enforce ",
            [SettingNames.PartnerRelationshipTypes] = "5; 9 ,12",
            [SettingNames.AutoAttachAssignedPartner] = "no",
            [SettingNames.ConflictPolicy] = "ALLOW",
            [SettingNames.BypassTeamId] = team.ToString("B"),
        });

        Assert.Null(settings.Problem);
        Assert.Equal(EnforcementMode.Enforce, settings.Mode);
        Assert.Equal(new[] { 5, 9, 12 }, settings.PartnerRelationshipTypes);
        Assert.False(settings.AutoAttachAssignedPartner);
        Assert.Equal(ConflictPolicy.Allow, settings.ConflictPolicy);
        Assert.Equal(team, settings.BypassTeamId);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("No", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("", true)]
    public void Parse_AutoAttach_AcceptsYesNoAndBooleans(string value, bool expected)
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.AutoAttachAssignedPartner] = value });

        Assert.Null(settings.Problem);
        Assert.Equal(expected, settings.AutoAttachAssignedPartner);
    }

    [Theory]
    [InlineData(SettingNames.EnforcementMode, "Enforse", "The PartnerGuard setting 'Enforcement mode' has the value 'Enforse'; it must be Audit or Enforce.")]
    [InlineData(SettingNames.PartnerRelationshipTypes, "5, partner", "The PartnerGuard setting 'Partner relationship types' has the value '5, partner'; it must be a list of relationship type numbers such as 5, 9.")]
    [InlineData(SettingNames.AutoAttachAssignedPartner, "sometimes", "The PartnerGuard setting 'Auto-attach assigned partner' has the value 'sometimes'; it must be Yes or No.")]
    [InlineData(SettingNames.ConflictPolicy, "Warn", "The PartnerGuard setting 'Conflict policy' has the value 'Warn'; it must be Block or Allow.")]
    [InlineData(SettingNames.BypassTeamId, "sales-team", "The PartnerGuard setting 'Bypass team' has the value 'sales-team'; it must be the unique identifier of a team, or empty.")]
    public void Parse_BadValue_ProblemNamesTheSettingAndTheValue(string name, string value, string expected)
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [name] = value });

        Assert.Equal(expected, settings.Problem);
    }

    [Theory]
    [InlineData("Block")]
    [InlineData("block")]
    public void Parse_ConflictPolicyBlock_IsReadWithoutAProblem(string value)
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?>
        {
            [SettingNames.ConflictPolicy] = value,
            [SettingNames.EnforcementMode] = "Audit",
        });

        Assert.Null(settings.Problem);
        Assert.Equal(ConflictPolicy.Block, settings.ConflictPolicy);
        Assert.Equal(EnforcementMode.Audit, settings.Mode);
    }

    [Fact]
    public void Parse_AllZeroBypassTeamId_IsAProblem()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.BypassTeamId] = "00000000-0000-0000-0000-000000000000" });

        Assert.Null(settings.BypassTeamId);
        Assert.Equal("The PartnerGuard setting 'Bypass team' has the value '00000000-0000-0000-0000-000000000000'; it must be the unique identifier of a team, or empty.", settings.Problem);
    }

    [Theory]
    [InlineData(",")]
    [InlineData(", ;")]
    public void Parse_RelationshipTypesOfSeparatorsOnly_KeepsTheDefault(string value)
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.PartnerRelationshipTypes] = value });

        Assert.Null(settings.Problem);
        Assert.Equal(new[] { 5, 9 }, settings.PartnerRelationshipTypes);
    }

    [Fact]
    public void Parse_RelationshipTypesWithABadEntry_KeepsNoneOfTheListAndSaysSoOnce()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.PartnerRelationshipTypes] = "7, partner, 8, reseller" });

        Assert.Equal(new[] { 5, 9 }, settings.PartnerRelationshipTypes);
        Assert.Equal(
            "The PartnerGuard setting 'Partner relationship types' has the value '7, partner, 8, reseller'; it must be a list of relationship type numbers such as 5, 9.",
            settings.Problem);
    }

    [Fact]
    public void Parse_BadEnforcementMode_FailsClosedAsEnforce()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.EnforcementMode] = "Audit please" });

        Assert.Equal(EnforcementMode.Enforce, settings.Mode);
        Assert.NotNull(settings.Problem);
    }

    [Fact]
    public void Parse_TwoBadValues_ReportsBoth()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?>
        {
            [SettingNames.ConflictPolicy] = "Warn",
            [SettingNames.BypassTeamId] = "x",
        });

        Assert.Contains("'Conflict policy'", settings.Problem);
        Assert.Contains("'Bypass team'", settings.Problem);
    }

    [Fact]
    public void Unreadable_FailsClosed()
    {
        var settings = ChannelSettingsParser.Unreadable("the service did not answer");

        Assert.Equal(EnforcementMode.Enforce, settings.Mode);
        Assert.Equal("The PartnerGuard settings could not be read: the service did not answer.", settings.Problem);
    }
}
