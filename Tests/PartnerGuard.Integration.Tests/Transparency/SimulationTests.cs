using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>The draft of <see cref="Scenario.DraftJson"/> against the scenario's active rules, diff checked by hand.</summary>
public sealed class SimulationTests
{
    private readonly SimulationReport _report = Simulation.Run(Scenario.Snapshot(), RulesDocument.Read(Scenario.DraftJson).Rules);

    [Fact]
    public void Run_DraftRules_ReportsEveryChangeWithValueAndReason()
    {
        Assert.Equal((3, 3, 10, 8), (_report.ActiveRules, _report.DraftRules, _report.DealsEvaluated, _report.AccountsEvaluated));

        // G-1 (600,000) and G-2 (20,000): Eta Oy is in Finland, which the draft adds.
        Assert.Equal((2, 620_000m), (_report.NewlyDirect.Count, _report.NewlyDirect.Value));
        Assert.Equal(["G-1", "G-2"], _report.NewlyDirect.Items.Select(i => i.Name));
        Assert.All(_report.NewlyDirect.Items, i => Assert.Equal(("Blocked", "Direct (Finland direct)"), (i.Now, i.Draft)));
        Assert.Contains("Finland direct", _report.NewlyDirect.Items[0].ReasonDraft, StringComparison.Ordinal);

        // B-1: Beta KK (Japan, 4,000,000) loses the Japan rule and stays under the new 5,000,000 threshold.
        var lost = Assert.Single(_report.NoLongerDirect.Items);
        Assert.Equal(("B-1", 200_000m, "Direct (Japan direct)", "Blocked"), (lost.Name, lost.Value, lost.Now, lost.Draft));
        Assert.Contains("PG-001", lost.ReasonDraft, StringComparison.Ordinal);

        // H-1: Theta KK (Japan, 8,000,000) moves from Japan direct to Enterprise.
        var moved = Assert.Single(_report.DirectByAnotherRule.Items);
        Assert.Equal(("H-1", "Direct (Japan direct)", "Direct (Enterprise)"), (moved.Name, moved.Now, moved.Draft));

        // Pool: Eta Oy leaves (Finland now direct), Beta KK joins (no rule covers it any more); values are their open pipeline.
        var leave = Assert.Single(_report.LeavePool.Items);
        Assert.Equal(("Eta Oy", 620_000m), (leave.Name, leave.Value));
        var join = Assert.Single(_report.JoinPool.Items);
        Assert.Equal(("Beta KK", 200_000m), (join.Name, join.Value));
    }

    [Fact]
    public void Run_SameRulesAsActive_ChangesNothing()
    {
        var same = Simulation.Run(Scenario.Snapshot(), Scenario.Rules);
        Assert.Equal(0, same.NewlyDirect.Count + same.NoLongerDirect.Count + same.DirectByAnotherRule.Count + same.LeavePool.Count + same.JoinPool.Count);
    }
}
