using PartnerGuard.Policy;
using PartnerGuard.Policy.Tests.Builders;
using static PartnerGuard.Policy.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Policy.Tests;

/// <summary>Step 4 of DESIGN §1, one kind at a time: each boundary, unknown values, dates and priority.</summary>
public sealed class RuleMatchingTests
{
    [Fact]
    public void Decide_SeveralRulesMatch_LowestPriorityWinsEvenWhenItsNameSortsLast()
    {
        var facts = ADeal().For(ACustomer().WithRevenue(2_000_000_000m).InCountry("DE")).Build();
        var rules = RuleSet(Geography("Austria and Germany", "DE, AT", priority: 20), SizeAbove("Zeta enterprise", SizeMeasure.AnnualRevenue, 1_000_000_000m, priority: 2));

        var decision = ChannelPolicy.Decide(facts, rules, Enforce(), Today);

        Assert.Equal("Zeta enterprise", decision.Rule?.Name);
        Assert.Equal(new[] { "Zeta enterprise", "Austria and Germany" }, rules.Rules.Select(r => r.Name));
    }

    [Theory]
    [InlineData("999999999.99", false)]
    [InlineData("1000000000", true)]
    [InlineData("2300000000", true)]
    [InlineData(null, false)]
    public void Decide_CustomerSizeAboveRevenue_MatchesAtOrAboveThreshold(string? revenue, bool direct)
    {
        var facts = ADeal().For(ACustomer().WithRevenue(revenue is null ? null : decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture))).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(SizeAbove("Enterprise", SizeMeasure.AnnualRevenue, 1_000_000_000m)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(250000, true)]
    [InlineData(null, false)]
    public void Decide_CustomerSizeAboveEmployees_MatchesAtOrAboveThreshold(int? employees, bool direct)
    {
        var facts = ADeal().For(ACustomer().WithEmployees(employees).WithRevenue(5_000_000_000m)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(SizeAbove("Large", SizeMeasure.Employees, 1000m)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(49, true)]
    [InlineData(50, false)]
    [InlineData(51, false)]
    [InlineData(null, false)]
    public void Decide_CustomerSizeBelowEmployees_MatchesStrictlyBelowThreshold(int? employees, bool direct)
    {
        var facts = ADeal().For(ACustomer().WithEmployees(employees)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(SizeBelow("Small business", SizeMeasure.Employees, 50m)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData("99999.99", true)]
    [InlineData("100000", false)]
    [InlineData(null, false)]
    public void Decide_CustomerSizeBelowRevenue_MatchesStrictlyBelowThreshold(string? revenue, bool direct)
    {
        var facts = ADeal().For(ACustomer().WithRevenue(revenue is null ? null : decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture))).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(SizeBelow("Micro", SizeMeasure.AnnualRevenue, 100_000m)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData("499999.99", false)]
    [InlineData("500000", true)]
    [InlineData("7500000", true)]
    [InlineData(null, false)]
    public void Decide_DealSizeAbove_MatchesAtOrAboveThreshold(string? value, bool direct)
    {
        var facts = ADeal().For(ACustomer()).WithValue(value is null ? null : decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Mega deals", 500_000m)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Fact]
    public void Decide_DealSizeAboveWithoutCustomerAccount_StillMatchesOnDealValue()
    {
        var facts = ADeal().For((CustomerFacts?)null).WithValue(900_000m).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(DealAbove("Mega deals", 500_000m)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Direct, decision.Outcome);
        Assert.Equal("Handled direct by rule 'Mega deals' (estimated value 900,000 \u2265 500,000)", decision.Reason);
    }

    [Theory]
    [InlineData("Germany", true)]
    [InlineData("germany", true)]
    [InlineData("DEUTSCHLAND", true)]
    [InlineData("de", true)]
    [InlineData("DEU", true)]
    [InlineData("  Österreich ", true)]
    [InlineData("osterreich", true)]
    [InlineData("Switzerland", true)]
    [InlineData("France", false)]
    [InlineData("Atlantis", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Decide_Geography_NormalisesCountryNamesCodesAndCase(string? country, bool direct)
    {
        var facts = ADeal().For(ACustomer().InCountry(country)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(Geography("DACH", "DE, AT, CH")), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData("GB", "UK")]
    [InlineData("GB", "u.k.")]
    [InlineData("GB", "Great Britain")]
    [InlineData("GB", "United Kingdom")]
    [InlineData("GB", "england")]
    [InlineData("US", "USA")]
    [InlineData("US", "U.S.A.")]
    [InlineData("US", "United States of America")]
    [InlineData("US", "united states")]
    [InlineData("NL", "Holland")]
    [InlineData("NL", "The Netherlands")]
    [InlineData("NL", "Nederland")]
    public void Decide_Geography_AcceptsCommonAliases(string ruleCountry, string typed)
    {
        var facts = ADeal().For(ACustomer().InCountry(typed)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(Geography("Home market", ruleCountry)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Direct, decision.Outcome);
    }

    [Theory]
    [InlineData("CA", true)]
    [InlineData("ca", true)]
    [InlineData("Washington", true)]
    [InlineData("NY", false)]
    [InlineData(null, false)]
    public void Decide_GeographyWithRegions_AlsoNeedsTheStateOrProvince(string? state, bool direct)
    {
        var facts = ADeal().For(ACustomer().InCountry("United States", state)).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(Geography("West coast", "US", "CA, Washington")), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData("self", false, true)]
    [InlineData("self", true, true)]
    [InlineData("child", true, true)]
    [InlineData("grandchild", true, true)]
    [InlineData("child", false, false)]
    [InlineData("unrelated", true, false)]
    public void Decide_NamedAccount_MatchesTheAccountAndOptionallyItsSubsidiaries(string relation, bool includeSubsidiaries, bool direct)
    {
        var house = TestIds.Named("account house");
        var middle = TestIds.Named("account middle");
        var customer = relation switch
        {
            "self" => new CustomerBuilder(house, "Contoso Group"),
            "child" => ACustomer("Contoso East").Below(house),
            "grandchild" => ACustomer("Contoso East Retail").Below(middle, house),
            _ => ACustomer("Northwind").Below(TestIds.Named("account unrelated")),
        };

        var facts = ADeal().For(customer).Build();
        var decision = ChannelPolicy.Decide(facts, RuleSet(Named("House account", house, includeSubsidiaries)), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Theory]
    [InlineData(1, null, false)]   // starts tomorrow
    [InlineData(0, null, true)]    // starts today
    [InlineData(null, -1, false)]  // ended yesterday
    [InlineData(null, 0, true)]    // ends today: the whole day counts
    [InlineData(-30, 30, true)]
    [InlineData(null, null, true)]
    public void Decide_EffectiveDates_AreInclusiveCalendarDays(int? fromOffsetDays, int? toOffsetDays, bool direct)
    {
        var rule = DealAbove("Seasonal", 0m) with
        {
            EffectiveFrom = fromOffsetDays is int f ? Today.Date.AddDays(f) : null,
            EffectiveTo = toOffsetDays is int t ? Today.Date.AddDays(t) : null,
        };
        var facts = ADeal().For(ACustomer()).WithValue(10m).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(rule), Enforce(), Today);

        Assert.Equal(direct ? ChannelOutcome.Direct : ChannelOutcome.Blocked, decision.Outcome);
    }

    [Fact]
    public void Decide_SeveralRulesMatch_ReportsLowestPriority()
    {
        var facts = ADeal().For(ACustomer().WithRevenue(2_000_000_000m).InCountry("DE")).Build();
        var rules = RuleSet(Geography("Germany direct", "DE", priority: 20), SizeAbove("Enterprise", SizeMeasure.AnnualRevenue, 1_000_000_000m, priority: 5));

        var decision = ChannelPolicy.Decide(facts, rules, Enforce(), Today);

        Assert.Equal("Enterprise", decision.Rule!.Name);
    }

    [Theory]
    [InlineData("Alpha", "beta", "Alpha")]
    [InlineData("beta", "Alpha", "Alpha")]
    [InlineData("zeta", "Eta", "Eta")]
    public void Decide_PriorityTie_ReportsRuleFirstByName(string first, string second, string expected)
    {
        var facts = ADeal().For(ACustomer()).WithValue(1_000m).Build();
        var rules = RuleSet(DealAbove(first, 0m, priority: 1), DealAbove(second, 0m, priority: 1));

        var decision = ChannelPolicy.Decide(facts, rules, Enforce(), Today);

        Assert.Equal(expected, decision.Rule!.Name);
    }

    [Fact]
    public void Decide_InactiveRule_NeverMatches()
    {
        var facts = ADeal().For(ACustomer()).WithValue(1_000m).Build();
        var rules = RuleSet(DealAbove("Retired", 0m) with { IsActive = false });

        Assert.Equal(0, rules.Count);
        Assert.Equal(ChannelOutcome.Blocked, ChannelPolicy.Decide(facts, rules, Enforce(), Today).Outcome);
    }

    [Fact]
    public void Decide_RuleMatches_ReasonNamesRuleAndComparedValues()
    {
        var facts = ADeal().For(ACustomer().WithRevenue(2_300_000_000m)).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(SizeAbove("Enterprise", SizeMeasure.AnnualRevenue, 1_000_000_000m)), Enforce(), Today);

        Assert.Equal(ChannelOutcome.Direct, decision.Outcome);
        Assert.Null(decision.Code);
        Assert.Equal("Handled direct by rule 'Enterprise' (annual revenue 2,300,000,000 \u2265 1,000,000,000)", decision.Reason);
    }

    [Theory]
    [InlineData("Deutschland", "Handled direct by rule 'DACH' (country Deutschland = DE, one of DE, AT, CH)")]
    [InlineData("de", "Handled direct by rule 'DACH' (country DE, one of DE, AT, CH)")]
    public void Decide_GeographyMatches_ReasonShowsTypedCountryAndCode(string typed, string expected)
    {
        var facts = ADeal().For(ACustomer().InCountry(typed)).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(Geography("DACH", "DE, AT, CH")), Enforce(), Today);

        Assert.Equal(expected, decision.Reason);
    }

    [Fact]
    public void Decide_GeographyWithStates_ReasonShowsTheTypedStateAndTheRulesStates()
    {
        var facts = ADeal().For(ACustomer().InCountry("Deutschland", " bayern ")).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(Geography("South", "DE", "Bayern, Baden-Württemberg")), Enforce(), Today);

        Assert.Equal("Handled direct by rule 'South' (country Deutschland = DE, one of DE; state/province bayern, one of Bayern, Baden-Württemberg)", decision.Reason);
    }

    [Fact]
    public void Decide_RuleWithDescription_ReasonEndsWithThePublishedWhy()
    {
        var facts = ADeal().For(ACustomer().WithEmployees(12)).Build();
        var rule = SizeBelow("Small business", SizeMeasure.Employees, 50m) with { Description = "Small businesses buy online from us." };

        var decision = ChannelPolicy.Decide(facts, RuleSet(rule), Enforce(), Today);

        Assert.Equal("Handled direct by rule 'Small business' (employees 12 < 50): Small businesses buy online from us.", decision.Reason);
    }

    [Fact]
    public void Decide_NamedAccountSubsidiary_ReasonNamesTheHouseAccount()
    {
        var house = TestIds.Named("account house");
        var facts = ADeal().For(ACustomer("Contoso East").Below(house)).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(Named("House", house, includeSubsidiaries: true, accountName: "Contoso Group")), Enforce(), Today);

        Assert.Equal("Handled direct by rule 'House' (customer Contoso East is below the named account Contoso Group)", decision.Reason);
    }
    [Theory]
    [InlineData(false, "Handled direct by rule 'House' (the customer is the named account)")]
    [InlineData(true, "Handled direct by rule 'House' (the customer is below the named account Contoso Group)")]
    public void Decide_NamedAccountWhoseNameCannotBeRead_ReasonSaysTheCustomer(bool subsidiary, string expected)
    {
        var house = TestIds.Named("account house");
        var customer = subsidiary ? ACustomer(" ").Below(house).Build() : new CustomerFacts(house, null);
        var facts = ADeal().For(customer).Build();

        var decision = ChannelPolicy.Decide(facts, RuleSet(Named("House", house, includeSubsidiaries: true, accountName: "Contoso Group")), Enforce(), Today);

        Assert.Equal(expected, decision.Reason);
    }
}
