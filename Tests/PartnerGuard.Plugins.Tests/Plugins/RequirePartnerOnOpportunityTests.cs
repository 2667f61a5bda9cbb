using Microsoft.Xrm.Sdk;
using PartnerGuard.Plugins.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Testing.Builders.OpportunityBuilder;

namespace PartnerGuard.Plugins.Tests.Plugins;

/// <summary>
/// The opportunity guard end to end through its adapter: registration checks, Target over PreImage, the
/// steps of DESIGN §1 as stored decisions or refused saves, and the service-call budget of DESIGN §7.
/// </summary>
public sealed class RequirePartnerOnOpportunityTests
{
    // ----- Decisions written onto the Target -----

    [Fact]
    public void Create_ActivePartnerNamed_RecordsPartnerOnTheTarget()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso Ltd");
        var partner = org.Partner("Fabrikam Partners");

        var outcome = org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Partner, outcome.Channel);
        Assert.Equal("Sold through partner Fabrikam Partners, named on the deal.", outcome.Reason);
        Assert.Equal(org.Now, outcome.Row?.GetAttributeValue<DateTime>("pg_channeldecidedon"));
        Assert.Null(outcome.Rule);
    }

    [Fact]
    public void Create_NoPartnerButAssignedPartner_AttachesItToTheTarget()
    {
        var org = new TestOrg().Enforcing();
        var assigned = org.Partner("Assigned Partners");
        var customer = org.Account("Contoso Ltd", assignedPartner: assigned);

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Partner, outcome.Channel);
        Assert.Equal(assigned.Id, outcome.Partner?.Id);
        Assert.Equal("account", outcome.Partner?.LogicalName);
        Assert.Equal("Sold through partner Assigned Partners, attached automatically as the assigned partner of Contoso Ltd.", outcome.Reason);
    }

    [Fact]
    public void Create_AutoAttachSwitchedOff_DoesNotAttach()
    {
        var org = new TestOrg().Enforcing().WithSetting(SettingNames.AutoAttachAssignedPartner, "no");
        var customer = org.Account("Contoso Ltd", assignedPartner: org.Partner("Assigned Partners"));

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        Assert.Contains("(PartnerGuard PG-001)", outcome.Error?.Message);
        Assert.Null(outcome.Row);
    }

    [Fact]
    public void Create_RuleCoversCustomer_RecordsDirectWithTheRule()
    {
        var org = new TestOrg().Enforcing();
        var rule = org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m);
        var customer = org.Account("Contoso Ltd", revenue: 2_300_000_000m);

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Direct, outcome.Channel);
        Assert.Equal(rule.Id, outcome.Rule?.Id);
        Assert.Equal("pg_directsalesrule", outcome.Rule?.LogicalName);
        Assert.Equal("Handled direct by rule 'Enterprise' (annual revenue 2,300,000,000 \u2265 1,000,000,000)", outcome.Reason);
    }

    [Fact]
    public void Create_NamedAccountRuleWithSubsidiaries_UsesTheHierarchyFromTheOneQuery()
    {
        var org = new TestOrg().Enforcing();
        var group = org.Account("Contoso Group");
        var region = org.Account("Contoso Europe", parent: group);
        var customer = org.Account("Contoso Germany", parent: region);
        org.Rule("House", DirectSalesRuleKind.NamedAccount, account: group, includeSubsidiaries: true);

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Direct, outcome.Channel);
        Assert.Equal("Handled direct by rule 'House' (customer Contoso Germany is below the named account Contoso Group)", outcome.Reason);
    }

    [Fact]
    public void Create_DealSizeRule_ReadsTheBaseValue()
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 500_000m);

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(450_000m, baseValue: 600_000m).Build());

        Assert.Equal("Handled direct by rule 'Mega deals' (estimated value 600,000 \u2265 500,000)", outcome.Reason);
    }

    [Fact]
    public void Update_ValueChangedInThisOperation_ConvertsWithTheExchangeRateInsteadOfTheStaleBase()
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 500_000m);
        var customer = org.Account("Contoso Ltd");
        var id = Guid.NewGuid();
        // Stored in a currency worth half the base currency: the org keeps estimatedvalue_base = 50,000 and exchangerate = 2.
        var before = AnOpportunity(id).For(customer).WithPartner(org.Partner("Fabrikam")).With("transactioncurrencyid", org.Currency("EUR", 2m).ToEntityReference()).WithValue(100_000m).Build();
        var change = AnOpportunity(id).WithPartner(null).WithValue(1_200_000m).Build();

        var outcome = org.Update(change, before);

        Assert.Equal("Handled direct by rule 'Mega deals' (estimated value 600,000 \u2265 500,000)", outcome.Reason);
    }

    // ----- Step 1: resolving the customer account -----

    [Fact]
    public void Create_ContactCustomer_UsesTheContactsParentAccount()
    {
        var org = new TestOrg().Enforcing();
        var assigned = org.Partner("Assigned Partners");
        var account = org.Account("Contoso Ltd", assignedPartner: assigned);
        var contact = org.Contact(account);

        var outcome = org.Create(AnOpportunity().For(contact).Build());

        outcome.AssertSaved();
        Assert.Equal(assigned.Id, outcome.Partner?.Id);
        Assert.Equal(new[] { "RetrieveMultiple account", "Retrieve contact", "RetrieveMultiple environmentvariabledefinition" }.OrderBy(x => x), org.Service.Calls.OrderBy(x => x));
    }

    [Fact]
    public void Create_ContactCustomerWithParentAccountOnTheDeal_UsesTheParentAccountWithoutReadingTheContact()
    {
        var org = new TestOrg().Enforcing();
        var assigned = org.Partner("Assigned Partners");
        var account = org.Account("Contoso Ltd", assignedPartner: assigned);
        var contact = org.Contact(org.Account("Somewhere Else"));

        var outcome = org.Create(AnOpportunity().For(contact).WithParentAccount(account).Build());

        Assert.Equal(assigned.Id, outcome.Partner?.Id);
        Assert.DoesNotContain("Retrieve contact", org.Service.Calls);
    }

    [Fact]
    public void Create_ContactWithoutAccount_HasNoAccountFacts()
    {
        var org = new TestOrg().Enforcing();
        var contact = org.Contact(null);

        var outcome = org.Create(AnOpportunity().For(contact).Build());

        Assert.Contains("a deal without a customer account is covered by none", outcome.Error?.Message);
    }

    // ----- Steps 2 and 5: refused saves write nothing -----

    public static TheoryData<string, string> Refusals => new()
    {
        { "no partner, no rule", ChannelCodes.NoPartner },
        { "inactive partner", ChannelCodes.PartnerNotActive },
        { "customer as partner", ChannelCodes.PartnerIsCustomer },
        { "conflict", ChannelCodes.ChannelConflict },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Create_GuardBlocks_ThrowsTheCataloguedMessageAndWritesNothing(string scenario, string code)
    {
        var org = new TestOrg().Enforcing();
        var assigned = org.Partner("Assigned Partners");
        var customer = org.Account("Contoso Ltd", relationshipType: 5, assignedPartner: scenario == "conflict" ? assigned : null);
        var partner = scenario switch
        {
            "inactive partner" => org.Partner("Old Partners", active: false),
            "customer as partner" => customer,
            "conflict" => org.Partner("Other Partners"),
            _ => null,
        };
        var target = AnOpportunity().For(customer).Build();
        if (partner is not null)
        {
            target["pg_partnerid"] = partner.ToEntityReference();
        }

        var outcome = org.Create(target);

        Assert.NotNull(outcome.Error);
        Assert.EndsWith("(PartnerGuard " + code + ")", outcome.Error!.Message);
        Assert.Null(outcome.Row);
        Assert.Equal(0, org.Org.Count("opportunity"));
    }

    [Fact]
    public void Create_ConflictAllowedBySetting_RecordsPartner()
    {
        var org = new TestOrg().Enforcing().WithSetting(SettingNames.ConflictPolicy, "Allow");
        var customer = org.Account("Contoso Ltd", assignedPartner: org.Partner("Assigned Partners"));

        var outcome = org.Create(AnOpportunity().For(customer).WithPartner(org.Partner("Other Partners")).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Partner, outcome.Channel);
    }

    // ----- Rollout modes -----

    [Fact]
    public void Create_NoSettingsAtAll_IsAuditModeAndRecordsUnresolved()
    {
        var org = new TestOrg();

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Ltd")).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Unresolved, outcome.Channel);
        Assert.StartsWith("Audit mode: in enforce mode this save would have been blocked.", outcome.Reason);
    }

    [Fact]
    public void Create_ValueRowOverridesTheDefinitionDefault()
    {
        var audit = new TestOrg().WithSetting(SettingNames.EnforcementMode, value: null, defaultValue: "Enforce");
        var enforce = new TestOrg().WithSetting(SettingNames.EnforcementMode, value: "Audit", defaultValue: "Enforce");

        var byDefault = audit.Create(AnOpportunity().For(audit.Account("Contoso")).Build());
        var byValue = enforce.Create(AnOpportunity().For(enforce.Account("Contoso")).Build());

        Assert.NotNull(byDefault.Error);
        byValue.AssertSaved();
    }

    // ----- PG-900 -----

    [Fact]
    public void Create_BadSettingInEnforceMode_BlocksWithPG900ForTheAdmin()
    {
        var org = new TestOrg().Enforcing().WithSetting(SettingNames.PartnerRelationshipTypes, "Partner, Reseller");
        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).WithPartner(org.Partner("Fabrikam")).Build());

        Assert.Equal(
            "PartnerGuard can't check this opportunity because it is not configured correctly. The PartnerGuard setting 'Partner relationship types' has the value 'Partner, Reseller'; it must be a list of relationship type numbers such as 5, 9. Ask your Dynamics 365 administrator to correct it. (PartnerGuard PG-900)",
            outcome.Error?.Message);
    }

    [Fact]
    public void Create_InvalidStoredRuleInEnforceMode_BlocksWithPG900NamingTheRule()
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Nordics", DirectSalesRuleKind.Geography, countries: "SE, Narnia");

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).Build());

        Assert.Contains("The direct sales rule 'Nordics' is invalid: Countries: 'Narnia'", outcome.Error?.Message);
        Assert.EndsWith("(PartnerGuard PG-900)", outcome.Error?.Message);
    }

    [Theory]
    [InlineData("environmentvariabledefinition", "Audit")]
    [InlineData("environmentvariabledefinition", "Enforce")]
    [InlineData("pg_directsalesrule", "Audit")]
    public void Create_ConfigurationUnreadable_FailsClosedWithPG900InAnyMode(string failingTable, string mode)
    {
        // A failed read inside a plug-in leaves the platform transaction unusable (Learn, "Troubleshoot plug-ins":
        // the ISV code aborted/there is no active transaction errors), so audit mode cannot carry on either.
        var org = new TestOrg().WithSetting(SettingNames.EnforcementMode, mode);
        var customer = org.Account("Contoso");
        org.Service.FailReadsOn = failingTable;

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        Assert.EndsWith("(PartnerGuard PG-900)", outcome.Error?.Message);
        Assert.DoesNotContain("Simulated service fault", outcome.Error?.Message);
        Assert.Contains(outcome.Trace, line => line.Contains("Simulated service fault"));
        Assert.Equal(0, org.Org.Count("opportunity"));
    }

    [Fact]
    public void Create_UnexpectedFailure_BecomesPG902WithTheCorrelationIdAndFullTrace()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso");
        org.Service.FailReadsOn = "account";

        var outcome = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(
            "PartnerGuard could not check this record because of an unexpected error. Ask your Dynamics 365 administrator to look in the plug-in trace log for correlation id " + outcome.CorrelationId + ". (PartnerGuard PG-902)",
            outcome.Error?.Message);
        Assert.Contains(outcome.Trace, line => line.Contains("unexpected failure") && line.Contains("Simulated service fault"));
    }

    // ----- Update: Target over PreImage -----

    [Fact]
    public void Update_PartnerClearedInTarget_IsTreatedAsNoPartner()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso Ltd");
        var id = Guid.NewGuid();
        var before = AnOpportunity(id).For(customer).WithPartner(org.Partner("Fabrikam")).Build();

        var outcome = org.Update(AnOpportunity(id).WithPartner(null).Build(), before);

        Assert.EndsWith("(PartnerGuard PG-001)", outcome.Error?.Message);
    }

    [Fact]
    public void Update_OnlyCustomerChanged_KeepsThePartnerFromThePreImage()
    {
        var org = new TestOrg().Enforcing();
        var partner = org.Partner("Fabrikam");
        var id = Guid.NewGuid();
        var before = AnOpportunity(id).For(org.Account("Old Customer")).WithPartner(partner).Build();

        var outcome = org.Update(AnOpportunity(id).For(org.Account("New Customer")).Build(), before);

        outcome.AssertSaved();
        Assert.Equal("Sold through partner Fabrikam, named on the deal.", outcome.Reason);
    }

    [Fact]
    public void Update_WithoutItsPreImage_IsRefusedAsMisregistered()
    {
        var org = new TestOrg().Enforcing();

        var id = Guid.NewGuid();
        var outcome = org.RunRegisteredAs(new RequirePartnerOnOpportunity(), "Update", "opportunity", 20, 0, AnOpportunity(id).WithPartner(null).Build());

        Assert.Equal("PartnerGuard's opportunity partner check is registered without its pre-image 'PreImage'. Re-import the PartnerGuard solution to restore it. (PartnerGuard PG-901)", outcome.Error?.Message);
        Assert.Equal(0, outcome.Calls);
    }

    // ----- Registration: the guard never fails open -----

    [Theory]
    [InlineData("Delete", "opportunity", 20, 0)]
    [InlineData("Create", "opportunity", 40, 0)]
    [InlineData("Create", "opportunity", 10, 0)]
    [InlineData("Update", "opportunity", 40, 1)]
    [InlineData("Create", "account", 20, 0)]
    public void Execute_RegisteredForAnotherEvent_RefusesWithPG901(string message, string table, int stage, int mode)
    {
        var org = new TestOrg().Enforcing();

        var outcome = org.RunRegisteredAs(new RequirePartnerOnOpportunity(), message, table, stage, mode, AnOpportunity().Build());

        Assert.StartsWith("PartnerGuard's opportunity partner check is registered for an event it was not built for (" + message + " of " + table + ", stage " + stage, outcome.Error?.Message);
        Assert.EndsWith("(PartnerGuard PG-901)", outcome.Error?.Message);
        Assert.Equal(0, outcome.Calls);
    }

    // ----- Bypass -----

    [Fact]
    public void Create_BypassTeamMemberWouldBeBlocked_RecordsBypassedWithWho()
    {
        var org = new TestOrg().Enforcing();
        org.BypassTeam(org.UserId);

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).Build());

        outcome.AssertSaved();
        Assert.Equal(ChannelOptionValues.Bypassed, outcome.Channel);
        Assert.StartsWith("Saved by user " + org.UserId + ", a member of the PartnerGuard bypass team;", outcome.Reason);
        Assert.EndsWith("(PartnerGuard PG-001)", outcome.Reason);
    }

    [Fact]
    public void Create_UserNotInBypassTeam_IsBlocked()
    {
        var org = new TestOrg().Enforcing();
        org.BypassTeam(Guid.NewGuid());

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).Build());

        Assert.EndsWith("(PartnerGuard PG-001)", outcome.Error?.Message);
        Assert.Contains("RetrieveMultiple teammembership", org.Service.Calls);
    }

    [Fact]
    public void Create_NoBypassTeamConfigured_NeverLooksUpMembership()
    {
        var org = new TestOrg().Enforcing();

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).Build());

        Assert.NotNull(outcome.Error);
        Assert.DoesNotContain("RetrieveMultiple teammembership", org.Service.Calls);
    }

    [Fact]
    public void Create_BypassTeamConfiguredButDecisionDoesNotBlock_CostsNoMembershipCall()
    {
        var org = new TestOrg().Enforcing();
        org.BypassTeam(org.UserId);

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).WithPartner(org.Partner("Fabrikam")).Build());

        Assert.Equal(ChannelOptionValues.Partner, outcome.Channel);
        Assert.DoesNotContain("RetrieveMultiple teammembership", org.Service.Calls);
    }

    [Fact]
    public void Create_BypassTeamMemberWithBrokenConfiguration_IsStillBlocked()
    {
        var org = new TestOrg().Enforcing().WithSetting(SettingNames.ConflictPolicy, "Sometimes");
        org.BypassTeam(org.UserId);

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso")).Build());

        Assert.EndsWith("(PartnerGuard PG-900)", outcome.Error?.Message);
    }

    // ----- Reads run as SYSTEM; tracing holds ids, not names -----

    [Fact]
    public void Execute_ReadsAsSystemAndTracesEntryDecisionAndExitWithoutNames()
    {
        var org = new TestOrg().Enforcing();
        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Secret Name")).WithPartner(org.Partner("Fabrikam Secret Name")).Build());

        Assert.All(outcome.ServiceUsers, user => Assert.Null(user));
        Assert.Collection(
            outcome.Trace,
            entry => Assert.StartsWith("RequirePartnerOnOpportunity: entry message=Create table=opportunity stage=20 mode=0 depth=1 correlation=" + outcome.CorrelationId, entry),
            decision => Assert.StartsWith("RequirePartnerOnOpportunity: decision outcome=Partner code=- rule=- partner=named:", decision),
            exit => Assert.StartsWith("RequirePartnerOnOpportunity: exit elapsed=", exit));
        Assert.DoesNotContain(outcome.Trace, line => line.Contains("Secret Name"));
    }

    [Fact]
    public void Plugin_TwoInstancesAndRepeatedRuns_GiveTheSameDecision()
    {
        var org = new TestOrg().Enforcing();
        var plugin = new RequirePartnerOnOpportunity("unsecure", "secure");
        var customer = org.Account("Contoso", revenue: 5_000_000_000m);
        org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m);

        var first = org.Run(PluginSteps.RequirePartnerOnCreate, AnOpportunity().For(customer).Build(), null, plugin);
        var second = org.Run(PluginSteps.RequirePartnerOnCreate, AnOpportunity().For(customer).Build(), null, plugin);
        var third = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(first.Reason, second.Reason);
        Assert.Equal(first.Reason, third.Reason);
    }
}
