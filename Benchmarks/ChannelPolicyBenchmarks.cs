using BenchmarkDotNet.Attributes;
using PartnerGuard.Policy;

namespace PartnerGuard.Benchmarks;

/// <summary>
/// ChannelPolicy.Decide against realistic rule sets of 1, 10 and 50 rules (DESIGN §7: ≤ 10 µs per evaluation).
/// The rule mix follows what admins publish: size thresholds, a few geographies with and without regions,
/// named house accounts with subsidiaries, and deal-size exceptions. Three decisions per size:
/// a deal through a named partner (rules never consulted), a deal the last-tried rule covers, and a deal
/// no rule covers (every rule tried, then the PG-001 message built: the worst case).
/// </summary>
[MemoryDiagnoser]
public class ChannelPolicyBenchmarks
{
    private static readonly DateTime Now = new(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc);

    private CompiledRuleSet _rules = CompiledRuleSet.Empty;
    private ChannelSettings _settings = ChannelSettings.Default;
    private ChannelFacts _throughPartner = null!;
    private ChannelFacts _coveredByLastRule = null!;
    private ChannelFacts _notCovered = null!;

    [Params(1, 10, 50)]
    public int RuleCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _settings = new ChannelSettings { Mode = EnforcementMode.Enforce };
        var house = Guid.NewGuid();
        var rules = new List<DirectSalesRule>(RuleCount);
        for (var i = 0; i < RuleCount - 1; i++)
        {
            rules.Add((i % 5) switch
            {
                0 => new CustomerSizeAboveRule(Guid.NewGuid(), "Enterprise " + i, 10 + i, SizeMeasure.AnnualRevenue, 5_000_000_000m + i),
                1 => new CustomerSizeBelowRule(Guid.NewGuid(), "Small business " + i, 10 + i, SizeMeasure.Employees, 5 + i),
                2 => new GeographyRule(Guid.NewGuid(), "Region " + i, 10 + i, new[] { "JP", "KR", "SG", "AU" }, i % 2 == 0 ? new[] { "Tokyo", "Osaka" } : Array.Empty<string>()),
                3 => new NamedAccountRule(Guid.NewGuid(), "House " + i, 10 + i, Guid.NewGuid(), "House account " + i, includeSubsidiaries: true),
                _ => new DealSizeAboveRule(Guid.NewGuid(), "Mega deals " + i, 10 + i, 50_000_000m + i),
            });
        }

        // The rule tried last (highest priority number) covers the "covered" deal.
        rules.Add(new NamedAccountRule(Guid.NewGuid(), "Group house account", 1000, house, "Contoso Group", includeSubsidiaries: true));
        _rules = CompiledRuleSet.Compile(rules);

        var ancestors = new[] { Guid.NewGuid(), Guid.NewGuid(), house };
        var covered = new CustomerFacts(Guid.NewGuid(), "Contoso Germany GmbH")
        {
            AnnualRevenueBase = 250_000_000m,
            Employees = 1200,
            Country = "Deutschland",
            StateOrProvince = "Bayern",
            AncestorAccountIds = ancestors,
        };
        var uncovered = covered with { AncestorAccountIds = new[] { Guid.NewGuid() } };

        _throughPartner = new ChannelFacts(covered, new DealFacts(new PartnerFacts(Guid.NewGuid(), "Fabrikam Partners", 5, true), 750_000m));
        _coveredByLastRule = new ChannelFacts(covered, new DealFacts(null, 750_000m));
        _notCovered = new ChannelFacts(uncovered, new DealFacts(null, 750_000m));
    }

    [Benchmark(Description = "Partner named")]
    public ChannelDecision ThroughPartner() => ChannelPolicy.Decide(_throughPartner, _rules, _settings, Now);

    [Benchmark(Description = "Direct, last rule matches")]
    public ChannelDecision CoveredByLastRule() => ChannelPolicy.Decide(_coveredByLastRule, _rules, _settings, Now);

    [Benchmark(Description = "Blocked, no rule matches")]
    public ChannelDecision NotCovered() => ChannelPolicy.Decide(_notCovered, _rules, _settings, Now);
}
