using PartnerGuard.Policy;
using static PartnerGuard.Policy.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Policy.Tests;

/// <summary>
/// The order rules are tried in (priority, then name, then id, so that the same rules always decide the same way)
/// and whether a set needs the deal's value in base currency.
/// </summary>
public sealed class CompiledRuleSetTests
{
    private static readonly Guid FirstId = new("00000000-0000-0000-0000-000000000001");
    private static readonly Guid SecondId = new("00000000-0000-0000-0000-000000000002");

    [Fact]
    public void Compile_SamePriority_NamesSortWithoutRegardToCase()
    {
        var set = RuleSet(Geography("Benelux", "BE, NL, LU"), Geography("alpine", "AT, CH"));

        Assert.Equal(new[] { "alpine", "Benelux" }, set.Rules.Select(r => r.Name));
    }

    [Fact]
    public void Compile_SamePriorityNamesDifferingOnlyInCase_CapitalFirstWhateverTheIds()
    {
        var lower = GeographyWithId(FirstId, "dach", "DE");
        var upper = GeographyWithId(SecondId, "DACH", "DE");

        var set = RuleSet(lower, upper);

        Assert.Equal(new[] { SecondId, FirstId }, set.Rules.Select(r => r.Id));
    }

    [Fact]
    public void Decide_TwoRulesEqualInPriorityAndName_TheLowerIdDecides()
    {
        var facts = ADeal().For(ACustomer().InCountry("DE")).Build();
        var second = GeographyWithId(SecondId, "DACH", "DE", "AT", "CH");
        var first = GeographyWithId(FirstId, "DACH", "DE");

        var decision = ChannelPolicy.Decide(facts, RuleSet(second, first), Enforce(), Today);

        Assert.Equal(FirstId, decision.Rule!.Id);
        Assert.Equal("Handled direct by rule 'DACH' (country DE, one of DE)", decision.Reason);
    }

    public static TheoryData<string, DirectSalesRule[], bool> ValueReaders => new()
    {
        { "no rules", Array.Empty<DirectSalesRule>(), false },
        { "no deal-size rule", new DirectSalesRule[] { Geography("DACH", "DE"), SizeAbove("Enterprise", SizeMeasure.Employees, 1000m) }, false },
        { "one deal-size rule", new DirectSalesRule[] { DealAbove("Mega deals", 500_000m) }, true },
        { "deal-size rule tried first", new DirectSalesRule[] { DealAbove("Mega deals", 500_000m, priority: 1), Geography("DACH", "DE", priority: 2) }, true },
        { "deal-size rule tried last", new DirectSalesRule[] { Geography("DACH", "DE", priority: 1), DealAbove("Mega deals", 500_000m, priority: 2) }, true },
        { "two deal-size rules", new DirectSalesRule[] { DealAbove("Mega deals", 500_000m), DealAbove("Giga deals", 5_000_000m) }, true },
        { "an inactive deal-size rule", new DirectSalesRule[] { DealAbove("Mega deals", 500_000m) with { IsActive = false }, Geography("DACH", "DE") }, false },
    };

    [Theory]
    [MemberData(nameof(ValueReaders))]
    public void ReadsDealValue_OnlyWhenAnActiveRuleComparesTheDealsValue(string why, DirectSalesRule[] rules, bool expected)
    {
        Assert.False(string.IsNullOrEmpty(why));
        Assert.Equal(expected, RuleSet(rules).ReadsDealValue);
    }

    private static GeographyRule GeographyWithId(Guid id, string name, params string[] countries) =>
        new(id, name, 10, countries, Array.Empty<string>());
}
