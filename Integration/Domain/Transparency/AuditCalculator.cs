using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>Computes the audit figures from plain records; rule questions go to the channel policy through <see cref="RuleLens"/>.</summary>
internal static class AuditCalculator
{
    public const string NotDecided = "Not decided";

    public static AuditReport Compute(OrgSnapshot org)
    {
        var lens = RuleLens.ForStoredRules(org);
        return new AuditReport(
            org.Now,
            org.Settings.Mode.ToString(),
            CoverageOf(org),
            LeakageOf(org, lens),
            ConflictsOf(org),
            DistributionOf(org),
            ProgressOf(org, lens));
    }

    private static Coverage CoverageOf(OrgSnapshot org)
    {
        var open = Tally.Of(org.OpenDeals);
        var withPartner = Tally.Of(org.OpenDeals.Where(d => d.PartnerId is not null));
        var channels = new[] { ChannelOutcome.Partner, ChannelOutcome.Direct, ChannelOutcome.Unresolved, ChannelOutcome.Bypassed }
            .Select(c => (Name: c.ToString(), Tally: Tally.Of(org.OpenDeals.Where(d => d.Channel == c))))
            .Append((Name: NotDecided, Tally: Tally.Of(org.OpenDeals.Where(d => d.Channel is null or ChannelOutcome.Blocked))))
            .Select(c => new ChannelTally(c.Name, c.Tally.Deals, c.Tally.Value))
            .ToList();
        var names = RuleNames(org);
        var byRule = org.OpenDeals
            .Where(d => d.Channel == ChannelOutcome.Direct)
            .GroupBy(d => d.RuleId)
            .Select(g =>
            {
                var tally = Tally.Of(g);
                return new RuleTally(g.Key, g.Key is { } id && names.TryGetValue(id, out var name) ? name : "(rule not found)", tally.Deals, tally.Value);
            })
            .OrderByDescending(r => r.Value).ThenBy(r => r.Rule, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new Coverage(open, withPartner, Share(withPartner.Deals, open.Deals), Share(withPartner.Value, open.Value), channels, byRule);
    }

    private static Leakage LeakageOf(OrgSnapshot org, RuleLens lens)
    {
        var leaked = new List<LeakedDeal>();
        foreach (var deal in org.OpenDeals.Where(d => d.PartnerId is null))
        {
            if (lens.CoverDeal(deal) is not null)
            {
                continue;
            }

            var customer = org.Account(deal.CustomerAccountId);
            var assigned = org.Account(customer?.AssignedPartnerId);
            leaked.Add(new LeakedDeal(
                deal.Id,
                deal.Name,
                customer?.Name,
                deal.EstimatedValueBase ?? 0m,
                CauseOf(deal),
                deal.Channel?.ToString() ?? NotDecided,
                assigned?.Name,
                deal.Reason));
        }

        leaked = leaked.OrderByDescending(l => l.Value).ThenBy(l => l.Deal, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.DealId).ToList();
        var byCause = leaked
            .GroupBy(l => l.Cause)
            .Select(g => new CauseTally(g.Key, g.Count(), g.Sum(l => l.Value)))
            .OrderByDescending(c => c.Deals).ThenBy(c => c.Cause, StringComparer.Ordinal)
            .ToList();
        return new Leakage(new Tally(leaked.Count, leaked.Sum(l => l.Value)), byCause, leaked);
    }

    /// <summary>How a deal without partner or covering rule got past the guard.</summary>
    public static string CauseOf(OrgDeal deal) => deal.Channel switch
    {
        null or ChannelOutcome.Blocked => "Created before PartnerGuard decided deals",
        ChannelOutcome.Unresolved => "Saved in audit mode",
        ChannelOutcome.Bypassed => "Saved through a bypass",
        ChannelOutcome.Direct => "Its direct sales rule no longer covers it (expired, deactivated or changed)",
        _ => "Its partner was removed after the decision",
    };

    private static Conflicts ConflictsOf(OrgSnapshot org)
    {
        var conflicts = new List<ConflictDeal>();
        foreach (var deal in org.OpenDeals)
        {
            if (ConflictOf(org, deal) is { } conflict)
            {
                conflicts.Add(conflict);
            }
        }

        conflicts = conflicts.OrderByDescending(c => c.Value).ThenBy(c => c.Deal, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.DealId).ToList();
        return new Conflicts(new Tally(conflicts.Count, conflicts.Sum(c => c.Value)), conflicts);
    }

    /// <summary>The conflict of one open deal: it names a partner other than its customer's assigned partner; null otherwise.</summary>
    public static ConflictDeal? ConflictOf(OrgSnapshot org, OrgDeal deal)
    {
        if (deal.PartnerId is not { } partner || org.Account(deal.CustomerAccountId) is not { AssignedPartnerId: { } assigned } customer || assigned == partner)
        {
            return null;
        }

        return new ConflictDeal(
            deal.Id,
            deal.Name,
            customer.Name,
            deal.EstimatedValueBase ?? 0m,
            org.Account(partner)?.Name ?? partner.ToString("D"),
            org.Account(assigned)?.Name ?? assigned.ToString("D"));
    }

    /// <summary>The distribution, counted by the same <see cref="DistributionCounter"/> `statement` streams the org through.</summary>
    private static Distribution DistributionOf(OrgSnapshot org)
    {
        var counter = new DistributionCounter(org.Settings);
        foreach (var account in org.Accounts)
        {
            counter.Add(account);
        }

        foreach (var deal in org.OpenDeals)
        {
            counter.Add(deal);
        }

        return counter.Finish();
    }

    private static Progress ProgressOf(OrgSnapshot org, RuleLens lens)
    {
        var customers = org.Customers().ToList();
        var assigned = customers.Where(c => c.AssignedPartnerId is not null).ToList();
        var covered = customers.Count(c => c.AssignedPartnerId is null && lens.CoverCustomer(c) is not null);
        var eligible = customers.Count(lens.InReassignmentPool);
        var runs = org.Runs
            .OrderBy(r => r.FinishedOn ?? r.StartedOn ?? DateTime.MaxValue)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r =>
            {
                var by = r.FinishedOn ?? r.StartedOn;
                var count = by is null ? 0 : assigned.Count(a => a.AssignedOn is { } on && on <= by.Value);
                return new RunPoint(r.Name, r.FinishedOn, r.Status?.ToString() ?? "Unknown", r.Planned, r.Applied, r.Failed, r.Undone, count, Share(count, customers.Count));
            })
            .ToList();
        return new Progress(
            customers.Count,
            assigned.Count,
            Share(assigned.Count, customers.Count),
            covered,
            eligible,
            org.Runs.Count,
            org.Runs.Count(r => r.Status is RunStatus.Completed or RunStatus.CompletedWithFailures),
            org.Runs.Sum(r => r.Applied),
            org.Runs.Sum(r => r.Undone),
            runs);
    }

    public static Dictionary<Guid, string> RuleNames(OrgSnapshot org) =>
        org.Rules.Where(r => r.Id != Guid.Empty).GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.First().Name ?? "(unnamed rule)");

    /// <summary>part ÷ whole to four decimal places; 0 when there is no whole.</summary>
    public static decimal Share(decimal part, decimal whole) => whole == 0m ? 0m : Round(part / whole);

    public static decimal Round(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
