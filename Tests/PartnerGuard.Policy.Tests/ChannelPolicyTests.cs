using PartnerGuard.Policy.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Policy.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Policy.Tests;

/// <summary>The numbered steps of DESIGN §1 and the rollout, conflict, auto-attach, bypass and PG-900 behaviour.</summary>
public sealed class ChannelPolicyTests
{
    // ----- Step 5 / PG-001 -----

    [Fact]
    public void Decide_NoPartnerAndNoRule_Blocks()
    {
        var facts = ADeal().For(ACustomer("Contoso Ltd")).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelOutcome.Blocked, decision.Outcome);
        Assert.Equal(ChannelCodes.NoPartner, decision.Code);
        Assert.Equal(
            "This opportunity needs a partner. Choose one in the Partner field. Direct deals are allowed only for customers covered by a published direct sales rule, and none covers Contoso Ltd. Ask your channel manager if you think this deal is an exception. (PartnerGuard PG-001)",
            decision.Message);
        Assert.Equal(decision.Message, decision.Reason);
        Assert.Null(decision.AttachPartner);
    }

    [Fact]
    public void Decide_NoPartnerNoRuleInAuditMode_RecordsUnresolvedWithTheWouldBeBlock()
    {
        var facts = ADeal().For(ACustomer("Contoso Ltd")).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Audit(), Today);

        Assert.Equal(ChannelOutcome.Unresolved, decision.Outcome);
        Assert.Equal(ChannelCodes.NoPartner, decision.Code);
        Assert.Null(decision.Message);
        Assert.StartsWith("Audit mode: in enforce mode this save would have been blocked. This opportunity needs a partner.", decision.Reason);
        Assert.EndsWith("(PartnerGuard PG-001)", decision.Reason);
    }

    [Fact]
    public void Decide_DefaultSettings_AreAuditAndNeverBlock()
    {
        Assert.Equal(EnforcementMode.Audit, ChannelSettings.Default.Mode);
        var facts = ADeal().For(ACustomer()).WithPartner(AnInactivePartner()).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, ChannelSettings.Default, Today);

        Assert.Equal(ChannelOutcome.Unresolved, decision.Outcome);
    }

    [Fact]
    public void Decide_NoCustomerAccountAndNoPartner_BlocksWithMessageForNoCustomer()
    {
        var decision = ChannelPolicy.Decide(ADeal().Build(), CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelCodes.NoPartner, decision.Code);
        Assert.Contains("a deal without a customer account is covered by none", decision.Message);
    }

    // ----- Step 2: the deal names a partner -----

    [Theory]
    [InlineData(5)]
    [InlineData(9)]
    public void Decide_ActivePartnerNamed_IsPartner(int relationshipType)
    {
        var partner = APartner("Fabrikam Partners", relationshipType);
        var facts = ADeal().For(ACustomer()).WithPartner(partner).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
        Assert.Same(partner, decision.Partner);
        Assert.Null(decision.AttachPartner);
        Assert.Null(decision.Code);
        Assert.Equal("Sold through partner Fabrikam Partners, named on the deal.", decision.Reason);
    }

    public static TheoryData<string, PartnerFacts> NotActivePartners => new()
    {
        { "inactive", AnInactivePartner("Old Partners") },
        { "not a partner type", ANonPartnerAccount("Plain Customer Inc") },
        { "no relationship type", new PartnerFacts(TestIds.Named("partner Untyped Ltd"), "Untyped Ltd", null, true) },
        { "missing", PartnerFacts.Missing(TestIds.Named("deleted partner")) },
    };

    [Theory]
    [MemberData(nameof(NotActivePartners))]
    public void Decide_PartnerNotActivePartner_BlocksWithPG002(string why, PartnerFacts partner)
    {
        var facts = ADeal().For(ACustomer()).WithPartner(partner).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Everything", 0m)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Blocked, decision.Outcome);
        Assert.Equal(ChannelCodes.PartnerNotActive, decision.Code);
        Assert.EndsWith("Choose an active partner in the Partner field. (PartnerGuard PG-002)", decision.Message);
    }

    [Fact]
    public void Decide_PartnerRelationshipTypesSetting_DecidesWhoIsAPartner()
    {
        var settings = Enforce() with { PartnerRelationshipTypes = new[] { 7 } };
        var reseller = APartner("Reseller Co", relationshipType: 9);
        var agent = APartner("Agent Co", relationshipType: 7);

        var withReseller = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(reseller).Build(), CompiledRuleSet.Empty, settings, Today);
        var withAgent = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(agent).Build(), CompiledRuleSet.Empty, settings, Today);

        Assert.Equal(ChannelCodes.PartnerNotActive, withReseller.Code);
        Assert.Equal(ChannelOutcome.Partner, withAgent.Outcome);
    }

    [Fact]
    public void Decide_PartnerIsTheCustomer_BlocksWithPG003()
    {
        var customer = ACustomer("Contoso Ltd");
        var self = new PartnerFacts(customer.Id, "Contoso Ltd", 5, true);

        var decision = ChannelPolicy.Decide(ADeal().For(customer).WithPartner(self).Build(), CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelCodes.PartnerIsCustomer, decision.Code);
        Assert.Equal(
            "The partner on this opportunity is the customer itself (Contoso Ltd). Choose the partner that sells to this customer in the Partner field. (PartnerGuard PG-003)",
            decision.Message);
    }

    [Fact]
    public void Decide_PartnerConflictsWithAssignedPartnerUnderBlockPolicy_BlocksWithPG004()
    {
        var assigned = APartner("Assigned Partners");
        var other = APartner("Other Partners");
        var facts = ADeal().For(ACustomer("Contoso Ltd").WithAssignedPartner(assigned)).WithPartner(other).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce() with { ConflictPolicy = ConflictPolicy.Block }, Today);

        Assert.Equal(ChannelOutcome.Blocked, decision.Outcome);
        Assert.Equal(
            "Contoso Ltd is served by its assigned partner Assigned Partners, but this opportunity names Other Partners. Choose Assigned Partners in the Partner field, or ask your channel manager to reassign the customer. (PartnerGuard PG-004)",
            decision.Message);
    }

    [Fact]
    public void Decide_PartnerConflictsWithAssignedPartnerUnderAllowPolicy_IsPartnerAndSaysSo()
    {
        var assigned = APartner("Assigned Partners");
        var other = APartner("Other Partners");
        var facts = ADeal().For(ACustomer().WithAssignedPartner(assigned)).WithPartner(other).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce() with { ConflictPolicy = ConflictPolicy.Allow }, Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
        Assert.Same(other, decision.Partner);
        Assert.Equal("Sold through partner Other Partners, named on the deal, although the customer's assigned partner is Assigned Partners (allowed by the conflict policy).", decision.Reason);
    }

    [Fact]
    public void Decide_NamedPartnerIsTheAssignedPartner_IsNoConflict()
    {
        var assigned = APartner("Assigned Partners");
        var facts = ADeal().For(ACustomer().WithAssignedPartner(assigned)).WithPartner(assigned).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
        Assert.Equal("Sold through partner Assigned Partners, named on the deal.", decision.Reason);
    }

    [Fact]
    public void Decide_AssignedPartnerNoLongerActive_IsNoConflict()
    {
        var facts = ADeal().For(ACustomer().WithAssignedPartner(AnInactivePartner())).WithPartner(APartner()).Build();

        Assert.Equal(ChannelOutcome.Partner, ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce(), Today).Outcome);
    }

    [Fact]
    public void Decide_PartnerNamedAndRuleMatches_PartnerWins()
    {
        var facts = ADeal().For(ACustomer()).WithPartner(APartner()).WithValue(1_000_000m).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Mega deals", 0m)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
        Assert.Null(decision.Rule);
    }

    // ----- Step 3: auto-attach -----

    [Fact]
    public void Decide_NoPartnerButAssignedPartner_AttachesIt()
    {
        var assigned = APartner("Assigned Partners");
        var facts = ADeal().For(ACustomer("Contoso Ltd").WithAssignedPartner(assigned)).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Everything", 0m)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
        Assert.Same(assigned, decision.AttachPartner);
        Assert.Same(assigned, decision.Partner);
        Assert.Equal("Sold through partner Assigned Partners, attached automatically as the assigned partner of Contoso Ltd.", decision.Reason);
    }

    [Fact]
    public void Decide_AutoAttachOff_FallsThroughToRulesThenBlocks()
    {
        var settings = Enforce() with { AutoAttachAssignedPartner = false };
        var customer = ACustomer().WithAssignedPartner(APartner());

        var blocked = ChannelPolicy.Decide(ADeal().For(customer).Build(), CompiledRuleSet.Empty, settings, Today);
        var direct = ChannelPolicy.Decide(ADeal().For(customer).WithValue(10m).Build(), RuleSet(DealAbove("Everything", 0m)), settings, Today);

        Assert.Equal(ChannelCodes.NoPartner, blocked.Code);
        Assert.Null(blocked.AttachPartner);
        Assert.Equal(ChannelOutcome.Direct, direct.Outcome);
    }

    [Fact]
    public void Decide_AssignedPartnerInactive_IsNotAttached()
    {
        var facts = ADeal().For(ACustomer().WithAssignedPartner(AnInactivePartner())).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, Enforce(), Today);

        Assert.Equal(ChannelCodes.NoPartner, decision.Code);
        Assert.Null(decision.AttachPartner);
    }

    // ----- PG-900: misconfiguration fails closed -----

    [Fact]
    public void Decide_BadSettingsInEnforceMode_BlocksWithPG900EvenWithAValidPartner()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?>
        {
            [SettingNames.EnforcementMode] = "Enforce",
            [SettingNames.ConflictPolicy] = "Maybe",
        });
        var facts = ADeal().For(ACustomer()).WithPartner(APartner()).Build();

        var decision = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, settings, Today);

        Assert.Equal(ChannelOutcome.Blocked, decision.Outcome);
        Assert.Equal(ChannelCodes.Misconfigured, decision.Code);
        Assert.Contains("'Conflict policy' has the value 'Maybe'; it must be Block or Allow.", decision.Message);
        Assert.EndsWith("Ask your Dynamics 365 administrator to correct it. (PartnerGuard PG-900)", decision.Message);
    }

    [Fact]
    public void Decide_UnknownEnforcementMode_FailsClosed()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.EnforcementMode] = "Enforse" });

        var decision = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(APartner()).Build(), CompiledRuleSet.Empty, settings, Today);

        Assert.Equal(ChannelOutcome.Blocked, decision.Outcome);
        Assert.Equal(ChannelCodes.Misconfigured, decision.Code);
    }

    [Fact]
    public void Decide_BadSettingsInAuditMode_RecordsUnresolvedPG900()
    {
        var settings = ChannelSettingsParser.Parse(new Dictionary<string, string?> { [SettingNames.PartnerRelationshipTypes] = "partners" });

        var decision = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(APartner()).Build(), CompiledRuleSet.Empty, settings, Today);

        Assert.Equal(ChannelOutcome.Unresolved, decision.Outcome);
        Assert.Equal(ChannelCodes.Misconfigured, decision.Code);
    }

    [Fact]
    public void Decide_UnusableRulesWhenRulesAreNeeded_BlocksWithPG900()
    {
        var rules = CompiledRuleSet.FromDrafts(new[] { new DirectSalesRuleDraft { Name = "Broken", Kind = "Bogus", Priority = 1 } });

        var decision = ChannelPolicy.Decide(ADeal().For(ACustomer()).Build(), rules, Enforce(), Today);

        Assert.Equal(ChannelCodes.Misconfigured, decision.Code);
        Assert.Contains("The direct sales rule 'Broken' is invalid: Kind 'Bogus' is not one of", decision.Message);
    }

    [Fact]
    public void Decide_UnusableRulesWhenAValidPartnerIsNamed_IsStillPartner()
    {
        var rules = CompiledRuleSet.Failed(Notices.RulesUnreadable("the table is missing"));

        var decision = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(APartner()).Build(), rules, Enforce(), Today);

        Assert.Equal(ChannelOutcome.Partner, decision.Outcome);
    }

    // ----- NeedsRules: the caller may skip loading rules only when they cannot change the answer -----

    public static TheoryData<string, ChannelFacts, ChannelSettings> NeedsRulesCases => new()
    {
        { "partner named", ADeal().For(ACustomer()).WithPartner(APartner()).WithValue(5m).Build(), Enforce() },
        { "inactive partner named", ADeal().For(ACustomer()).WithPartner(AnInactivePartner()).WithValue(5m).Build(), Enforce() },
        { "assigned partner", ADeal().For(ACustomer().WithAssignedPartner(APartner())).WithValue(5m).Build(), Enforce() },
        { "assigned, auto-attach off", ADeal().For(ACustomer().WithAssignedPartner(APartner())).WithValue(5m).Build(), Enforce() with { AutoAttachAssignedPartner = false } },
        { "nothing", ADeal().For(ACustomer()).WithValue(5m).Build(), Audit() },
        { "no customer", ADeal().WithValue(5m).Build(), Enforce() },
        { "bad settings", ADeal().For(ACustomer()).WithValue(5m).Build(), Enforce() with { Problem = "The settings are wrong." } },
    };

    [Theory]
    [MemberData(nameof(NeedsRulesCases))]
    public void NeedsRules_WhenFalse_RulesCannotChangeTheDecision(string why, ChannelFacts facts, ChannelSettings settings)
    {
        var withoutRules = ChannelPolicy.Decide(facts, CompiledRuleSet.Empty, settings, Today);
        var withRules = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Everything", 0m)), settings, Today);

        Assert.Equal(ChannelPolicy.NeedsRules(facts, settings), withoutRules.Outcome != withRules.Outcome);
    }

    // ----- Bypass -----

    [Fact]
    public void Bypass_BlockedDecision_RecordsBypassedWithWhoAndWhy()
    {
        var user = TestIds.Named("user bypassing");
        var blocked = ChannelPolicy.Decide(ADeal().For(ACustomer()).Build(), CompiledRuleSet.Empty, Enforce(), Today);

        var bypassed = ChannelPolicy.Bypass(blocked, user);

        Assert.Equal(ChannelOutcome.Bypassed, bypassed.Outcome);
        Assert.Equal(user, bypassed.BypassedBy);
        Assert.Equal(ChannelCodes.NoPartner, bypassed.Code);
        Assert.False(bypassed.IsBlocked);
        Assert.StartsWith("Saved by user " + user + ", a member of the PartnerGuard bypass team; without the bypass it would have been blocked. This opportunity needs a partner.", bypassed.Reason);
    }

    [Fact]
    public void Bypass_ConfigurationError_IsNotBypassable()
    {
        var blocked = ChannelPolicy.Decide(ADeal().Build(), CompiledRuleSet.Empty, Enforce() with { Problem = "Broken." }, Today);

        Assert.False(ChannelPolicy.CanBypass(blocked));
        var refused = Assert.Throws<InvalidOperationException>(() => ChannelPolicy.Bypass(blocked, TestIds.Named("user a")));
        Assert.Equal("Only a decision blocked for a deal-level reason can be bypassed; this one is Blocked PG-900.", refused.Message);
    }

    [Fact]
    public void Bypass_DecisionThatDoesNotBlock_IsRefused()
    {
        var partner = ChannelPolicy.Decide(ADeal().For(ACustomer()).WithPartner(APartner()).Build(), CompiledRuleSet.Empty, Enforce(), Today);

        Assert.False(ChannelPolicy.CanBypass(partner));
        Assert.Throws<InvalidOperationException>(() => ChannelPolicy.Bypass(partner, TestIds.Named("user b")));
    }
}
