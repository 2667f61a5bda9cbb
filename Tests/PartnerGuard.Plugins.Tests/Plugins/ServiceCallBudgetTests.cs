using PartnerGuard.Plugins.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Testing.Builders.OpportunityBuilder;

namespace PartnerGuard.Plugins.Tests.Plugins;

/// <summary>
/// DESIGN §7: one organization-service call per opportunity save in steady state. Cold costs are the ones
/// documented on PolicyCache: settings on the first save, rules only when a decision needs them.
/// </summary>
public sealed class ServiceCallBudgetTests
{
    [Fact]
    public void Create_ThroughAPartner_CostsTwoCallsColdAndOneWarm()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso");
        var partner = org.Partner("Fabrikam");

        var cold = org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());
        var warm = org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());

        Assert.Equal(2, cold.Calls);
        Assert.Equal(1, warm.Calls);
        Assert.Equal(new[] { "RetrieveMultiple account", "RetrieveMultiple environmentvariabledefinition", "RetrieveMultiple account" }, org.Service.Calls);
    }

    [Fact]
    public void Create_ThatNeedsTheRules_CostsThreeCallsColdAndOneWarm()
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m);
        var customer = org.Account("Contoso", revenue: 2_000_000_000m);

        var cold = org.Create(AnOpportunity().For(customer).Build());
        var warm = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(ChannelOptionValues.Direct, warm.Channel);
        Assert.Equal(3, cold.Calls);
        Assert.Equal(1, warm.Calls);
    }

    [Fact]
    public void Create_AutoAttached_NeverReadsTheRules()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso", assignedPartner: org.Partner("Assigned"));

        org.Create(AnOpportunity().For(customer).Build());

        Assert.DoesNotContain("RetrieveMultiple pg_directsalesrule", org.Service.Calls);
    }

    [Fact]
    public void Create_NoCustomerAndNoPartner_MakesNoFactsQuery()
    {
        var org = new TestOrg();

        var outcome = org.Create(AnOpportunity().Build());

        Assert.DoesNotContain("RetrieveMultiple account", org.Service.Calls);
        Assert.Equal(ChannelOptionValues.Unresolved, outcome.Channel);
    }

    [Fact]
    public void Create_AfterTheCacheDuration_ReadsSettingsAgain()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso");
        var partner = org.Partner("Fabrikam");
        org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());

        org.Now = org.Now.AddMinutes(1);
        var withinDuration = org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());
        org.Now = org.Now.AddMinutes(2);
        var afterDuration = org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());

        Assert.Equal(1, withinDuration.Calls);
        Assert.Equal(2, afterDuration.Calls);
    }

    [Fact]
    public void Create_SettingChangedByAnAdmin_TakesEffectAfterTheCacheDuration()
    {
        var org = new TestOrg().WithSetting(SettingNames.EnforcementMode, "Audit");
        var customer = org.Account("Contoso");
        org.Create(AnOpportunity().For(customer).Build()).AssertSaved();

        org.ChangeSetting(SettingNames.EnforcementMode, "Enforce");
        org.Now = org.Now.AddSeconds(90);
        var stillCached = org.Create(AnOpportunity().For(customer).Build());
        org.Now = org.Now.AddSeconds(60);
        var reread = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(ChannelOptionValues.Unresolved, stillCached.Channel);
        Assert.EndsWith("(PartnerGuard PG-001)", reread.Error?.Message);
    }

    [Fact]
    public void Create_CacheIsPerOrganization_AnotherOrganizationReadsItsOwnSettingsAtOnce()
    {
        var org = new TestOrg().WithSetting(SettingNames.EnforcementMode, "Audit");
        var customer = org.Account("Contoso");
        org.Create(AnOpportunity().For(customer).Build()).AssertSaved();

        var other = new TestOrg().WithSetting(SettingNames.EnforcementMode, "Enforce");
        var blocked = other.Create(AnOpportunity().For(other.Account("Fabrikam")).Build());
        var cached = org.Create(AnOpportunity().For(customer).Build());

        Assert.EndsWith("(PartnerGuard PG-001)", blocked.Error?.Message);
        Assert.True(blocked.Calls > 1, "the other organization's first save reads its own settings and rules");
        Assert.Equal(1, cached.Calls);
        Assert.Equal(ChannelOptionValues.Unresolved, cached.Channel);
    }

    [Fact]
    public void Create_BypassMembership_IsCachedLikeTheSettings()
    {
        var org = new TestOrg().Enforcing();
        org.BypassTeam(org.UserId);
        var customer = org.Account("Contoso");

        var first = org.Create(AnOpportunity().For(customer).Build());
        var second = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(ChannelOptionValues.Bypassed, second.Channel);
        Assert.Equal(4, first.Calls);  // facts, settings, rules, membership
        Assert.Equal(1, second.Calls); // facts only
    }

    [Fact]
    public void Cache_IsKeyedByOrganization()
    {
        var contoso = new TestOrg().Enforcing();
        var fabrikam = new TestOrg();
        contoso.Create(AnOpportunity().For(contoso.Account("Contoso")).Build());

        var outcome = fabrikam.Create(AnOpportunity().For(fabrikam.Account("Contoso")).Build());

        Assert.Equal(ChannelOptionValues.Unresolved, outcome.Channel);
        Assert.Contains("RetrieveMultiple environmentvariabledefinition", fabrikam.Service.Calls);
    }
}
