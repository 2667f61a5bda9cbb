namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>The figures of `partnerguard audit` (DESIGN §6), computed by <see cref="AuditCalculator"/>.</summary>
internal sealed record AuditReport(
    DateTime GeneratedOn,
    string EnforcementMode,
    Coverage Coverage,
    Leakage Leakage,
    Conflicts Conflicts,
    Distribution Distribution,
    Progress Progress);

/// <summary>A count of deals and their estimated value (base currency).</summary>
internal sealed record Tally(int Deals, decimal Value)
{
    public static Tally Of(IEnumerable<OrgDeal> deals)
    {
        var count = 0;
        var value = 0m;
        foreach (var deal in deals)
        {
            count++;
            value += deal.EstimatedValueBase ?? 0m;
        }

        return new Tally(count, value);
    }
}

/// <summary>Share of open deals and of open pipeline value with a partner; recorded channels; direct deals by rule.</summary>
internal sealed record Coverage(
    Tally Open,
    Tally WithPartner,
    decimal DealShareWithPartner,
    decimal ValueShareWithPartner,
    IReadOnlyList<ChannelTally> ByChannel,
    IReadOnlyList<RuleTally> DirectByRule);

/// <summary>Open deals by recorded channel (Partner, Direct, Unresolved, Bypassed, or Not decided).</summary>
internal sealed record ChannelTally(string Channel, int Deals, decimal Value);

/// <summary>Deals recorded Direct under one rule.</summary>
internal sealed record RuleTally(Guid? RuleId, string Rule, int Deals, decimal Value);

/// <summary>Open deals with no partner that no rule covers today, grouped by how they got there.</summary>
internal sealed record Leakage(Tally Total, IReadOnlyList<CauseTally> ByCause, IReadOnlyList<LeakedDeal> Deals);

internal sealed record CauseTally(string Cause, int Deals, decimal Value);

internal sealed record LeakedDeal(
    Guid DealId,
    string Deal,
    string? Customer,
    decimal Value,
    string Cause,
    string RecordedChannel,
    string? AssignedPartner,
    string? RecordedReason);

/// <summary>Open deals whose partner differs from the customer's assigned partner.</summary>
internal sealed record Conflicts(Tally Total, IReadOnlyList<ConflictDeal> Deals);

internal sealed record ConflictDeal(Guid DealId, string Deal, string? Customer, decimal Value, string DealPartner, string AssignedPartner);

/// <summary>Customers and pipeline per partner against capacity, and how even the load is.</summary>
internal sealed record Distribution(IReadOnlyList<PartnerLoad> Partners, Fairness Fairness);

/// <summary>One partner: assigned customers, open deals through it, and load = customers ÷ capacity (null without a cap).</summary>
internal sealed record PartnerLoad(Guid PartnerId, string Partner, int? Capacity, int Accounts, decimal? Load, int OpenDeals, decimal OpenValue);

/// <summary>
/// Load spread over partners with a capacity: the highest load minus the lowest (0 = perfectly even), the mean,
/// and how many partners are over capacity.
/// </summary>
internal sealed record Fairness(int CappedPartners, decimal? MinLoad, decimal? MaxLoad, decimal? LoadSpread, decimal? MeanLoad, int OverCapacity);

/// <summary>How far the distribution of customers to partners has come.</summary>
internal sealed record Progress(
    int Customers,
    int Assigned,
    decimal AssignedShare,
    int CoveredByRule,
    int EligibleLeft,
    int Runs,
    int RunsCompleted,
    int AccountsApplied,
    int AccountsUndone,
    IReadOnlyList<RunPoint> Waves);

/// <summary>
/// One reassignment run, with the share of today's customers whose partner was assigned by the time the run
/// finished (from <c>pg_partnerassignedon</c>): the coverage-over-time series.
/// </summary>
internal sealed record RunPoint(string Run, DateTime? FinishedOn, string Status, int Planned, int Applied, int Failed, int Undone, int AssignedByThen, decimal AssignedShareByThen);
