using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>Every audit figure of <see cref="Scenario"/>, checked against numbers worked out by hand.</summary>
public sealed class AuditCalculatorTests
{
    private readonly AuditReport _report = AuditCalculator.Compute(Scenario.Snapshot());

    [Fact]
    public void Coverage_SharesOfOpenDealsAndValueWithAPartner()
    {
        var c = _report.Coverage;
        // 10 open deals worth 1,430,000; and D-1 have a partner: 3 deals, 180,000.
        Assert.Equal(new Tally(10, 1_430_000m), c.Open);
        Assert.Equal(new Tally(3, 180_000m), c.WithPartner);
        Assert.Equal(0.3m, c.DealShareWithPartner);
        Assert.Equal(0.1259m, c.ValueShareWithPartner); // 180,000 / 1,430,000 = 0.12587…
    }

    [Fact]
    public void Coverage_ByRecordedChannel_IncludesUnresolvedBypassedAndUndecided()
    {
        Assert.Equal(
            [
                new ChannelTally("Partner", 3, 180_000m),
                new ChannelTally("Direct", 4, 1_180_000m),
                new ChannelTally("Unresolved", 1, 10_000m),
                new ChannelTally("Bypassed", 1, 20_000m),
                new ChannelTally(AuditCalculator.NotDecided, 1, 40_000m),
            ],
            _report.Coverage.ByChannel);
    }

    [Fact]
    public void Coverage_DirectDealsByRule_LargestValueFirst()
    {
        Assert.Equal(
            [
                new RuleTally(Scenario.OldPromo, "Old promo", 1, 600_000m),
                new RuleTally(Scenario.Enterprise, "Enterprise", 1, 300_000m),
                new RuleTally(Scenario.Japan, "Japan direct", 2, 280_000m),
            ],
            _report.Coverage.DirectByRule);
    }

    [Fact]
    public void Leakage_DealsWithoutPartnerOrCoveringRule_ByCause()
    {
        var l = _report.Leakage;
        // B-1 (Japan) and C-1, H-1 are covered today; E-1 (never decided), G-1 (its rule expired on 2026-06-30),
        // E-2 (audit mode) and G-2 (bypassed) are not.
        Assert.Equal(new Tally(4, 670_000m), l.Total);
        Assert.Equal(["G-1", "E-1", "G-2", "E-2"], l.Deals.Select(d => d.Deal));
        Assert.Equal(
            [
                "Its direct sales rule no longer covers it (expired, deactivated or changed)",
                "Created before PartnerGuard decided deals",
                "Saved through a bypass",
                "Saved in audit mode",
            ],
            l.Deals.Select(d => d.Cause));
        Assert.All(l.ByCause, c => Assert.Equal(1, c.Deals));
        Assert.Equal(670_000m, l.ByCause.Sum(c => c.Value));
    }

    [Fact]
    public void Conflicts_DealPartnerDiffersFromAssignedPartner()
    {
        var deal = Assert.Single(_report.Conflicts.Deals);
        Assert.Equal(("A-2", "Fabrikam", "Northwind", 50_000m), (deal.Deal, deal.DealPartner, deal.AssignedPartner, deal.Value));
        Assert.Equal(new Tally(1, 50_000m), _report.Conflicts.Total);
    }

    [Fact]
    public void Distribution_LoadPerPartnerAgainstCapacity_AndSpread()
    {
        var p = _report.Distribution.Partners;
        Assert.Equal(["Fabrikam", "Northwind", "Tailspin"], p.Select(x => x.Partner));
        Assert.Equal((2, 1, 0.5m, 2, 80_000m), (p[0].Capacity!.Value, p[0].Accounts, p[0].Load!.Value, p[0].OpenDeals, p[0].OpenValue));
        Assert.Equal((5, 2, 0.4m, 1, 100_000m), (p[1].Capacity!.Value, p[1].Accounts, p[1].Load!.Value, p[1].OpenDeals, p[1].OpenValue));
        Assert.Null(p[2].Capacity);
        Assert.Null(p[2].Load);
        Assert.Equal(new Fairness(2, 0.4m, 0.5m, 0.1m, 0.45m, 0), _report.Distribution.Fairness);
    }

    [Fact]
    public void Progress_EligibleLeftAndCoverageAfterEachRun()
    {
        var g = _report.Progress;
        // 8 customers: A, D, F assigned; B, C, H covered by a rule; E and G eligible.
        Assert.Equal((8, 3, 0.375m, 3, 2), (g.Customers, g.Assigned, g.AssignedShare, g.CoveredByRule, g.EligibleLeft));
        Assert.Equal((2, 2, 3, 0), (g.Runs, g.RunsCompleted, g.AccountsApplied, g.AccountsUndone));
        // Wave 1 finished 2026-10-02: only A (assigned 2026-10-01) → 1/8; wave 2 (2026-11-16): A, D, F → 3/8.
        Assert.Equal([("pg-wave-1", 1, 0.125m), ("pg-wave-2", 3, 0.375m)], g.Waves.Select(w => (w.Run, w.AssignedByThen, w.AssignedShareByThen)));
    }
}
