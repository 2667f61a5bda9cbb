using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>What a draft rule set would change against the active rules (DESIGN §6, `simulate --rules FILE`).</summary>
internal sealed record SimulationReport(
    DateTime GeneratedOn,
    int ActiveRules,
    int DraftRules,
    int DealsEvaluated,
    int AccountsEvaluated,
    SimulatedChange NewlyDirect,
    SimulatedChange NoLongerDirect,
    SimulatedChange DirectByAnotherRule,
    SimulatedChange LeavePool,
    SimulatedChange JoinPool,
    IReadOnlyList<RuleTally> DirectByRuleNow,
    IReadOnlyList<RuleTally> DirectByRuleDraft);

/// <summary>
/// One kind of change: how many records, their open pipeline value, and samples with reasons
/// (largest value first, at most <see cref="Simulation.SampleSize"/>). <see cref="Items"/> holds them all.
/// </summary>
internal sealed record SimulatedChange(string Change, string Meaning, int Count, decimal Value, IReadOnlyList<SimulatedItem> Items)
{
    public IEnumerable<SimulatedItem> Samples => Items.Take(Simulation.SampleSize);
}

/// <summary>A deal or account whose outcome changes, with the decision's reason now and under the draft.</summary>
internal sealed record SimulatedItem(string Table, Guid Id, string Name, string? Customer, decimal Value, string Now, string Draft, string ReasonNow, string ReasonDraft);

/// <summary>Runs the same channel policy over current accounts and open deals with the active and the draft rules.</summary>
internal static class Simulation
{
    public const int SampleSize = 10;

    public static SimulationReport Run(OrgSnapshot org, IReadOnlyList<DirectSalesRuleDraft> draft)
    {
        var now = RuleLens.ForStoredRules(org);
        var next = new RuleLens(org, CompiledRuleSet.FromDrafts(draft));
        var newlyDirect = new List<SimulatedItem>();
        var noLongerDirect = new List<SimulatedItem>();
        var otherRule = new List<SimulatedItem>();
        foreach (var deal in org.OpenDeals)
        {
            var before = now.DecideSave(deal);
            var after = next.DecideSave(deal);
            var bothDirect = before.Outcome == ChannelOutcome.Direct && after.Outcome == ChannelOutcome.Direct;
            if (before.Outcome == after.Outcome && (!bothDirect || before.Rule!.Id == after.Rule!.Id && before.Rule.Name == after.Rule.Name))
            {
                continue;
            }

            var item = Item(org, deal, before, after);
            if (bothDirect)
            {
                otherRule.Add(item);
            }
            else if (after.Outcome == ChannelOutcome.Direct)
            {
                newlyDirect.Add(item);
            }
            else if (before.Outcome == ChannelOutcome.Direct)
            {
                noLongerDirect.Add(item);
            }
        }

        var pipeline = org.OpenDeals
            .Where(d => d.CustomerAccountId is not null)
            .GroupBy(d => d.CustomerAccountId!.Value)
            .ToDictionary(g => g.Key, g => g.Sum(d => d.EstimatedValueBase ?? 0m));
        var leave = new List<SimulatedItem>();
        var join = new List<SimulatedItem>();
        var customers = org.Customers().Where(c => c.AssignedPartnerId is null).ToList();
        foreach (var account in customers)
        {
            var coverNow = now.CoverCustomer(account);
            var coverDraft = next.CoverCustomer(account);
            if ((coverNow is null) == (coverDraft is null))
            {
                continue;
            }

            var item = new SimulatedItem(
                "account",
                account.Id,
                account.Name,
                null,
                pipeline.GetValueOrDefault(account.Id),
                coverNow is null ? "In the pool" : "Direct",
                coverDraft is null ? "In the pool" : "Direct",
                coverNow?.Reason ?? "No direct sales rule covers it.",
                coverDraft?.Reason ?? "No direct sales rule covers it.");
            (coverDraft is null ? join : leave).Add(item);
        }

        return new SimulationReport(
            org.Now,
            now.Rules.Count,
            next.Rules.Count,
            org.OpenDeals.Count,
            org.Customers().Count(),
            Change("newlyDirect", "Open deals without a partner that a draft rule would allow direct (today they would be blocked).", newlyDirect),
            Change("noLongerDirect", "Open deals handled direct today that the draft would block on their next save (Unresolved in audit mode).", noLongerDirect),
            Change("directByAnotherRule", "Open deals that stay direct, but under a different rule.", otherRule),
            Change("leavePool", "Customers without a partner that a draft rule would keep direct: they leave the reassignment pool.", leave),
            Change("joinPool", "Customers without a partner that no draft rule covers any more: they join the reassignment pool.", join),
            ByRule(org, now),
            ByRule(org, next));
    }

    private static SimulatedItem Item(OrgSnapshot org, OrgDeal deal, ChannelDecision before, ChannelDecision after) => new(
        "opportunity",
        deal.Id,
        deal.Name,
        org.Account(deal.CustomerAccountId)?.Name,
        deal.EstimatedValueBase ?? 0m,
        Describe(before),
        Describe(after),
        before.Reason,
        after.Reason);

    private static string Describe(ChannelDecision decision) =>
        decision.Outcome == ChannelOutcome.Direct ? $"Direct ({decision.Rule!.Name})" : decision.Outcome.ToString();

    private static SimulatedChange Change(string name, string meaning, List<SimulatedItem> items)
    {
        var sorted = items.OrderByDescending(i => i.Value).ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.Id).ToList();
        return new SimulatedChange(name, meaning, sorted.Count, sorted.Sum(i => i.Value), sorted);
    }

    /// <summary>Open deals without a partner that each rule would cover on their next save.</summary>
    private static List<RuleTally> ByRule(OrgSnapshot org, RuleLens lens) => org.OpenDeals
        .Select(d => (Deal: d, Decision: lens.DecideSave(d)))
        .Where(x => x.Decision.Outcome == ChannelOutcome.Direct)
        .GroupBy(x => (x.Decision.Rule!.Id, x.Decision.Rule.Name))
        .Select(g => new RuleTally(g.Key.Id == Guid.Empty ? null : g.Key.Id, g.Key.Name, g.Count(), g.Sum(x => x.Deal.EstimatedValueBase ?? 0m)))
        .OrderByDescending(r => r.Value).ThenBy(r => r.Rule, StringComparer.OrdinalIgnoreCase)
        .ToList();
}
