using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>
/// One partner's statement (`partnerguard statement`): where it stands today and what happened in the period.
/// The totals are the audit's figures for the partner (<see cref="AuditCalculator"/>), the lists are the records
/// behind them. <see cref="RulesVersion"/> is the stamp `rules publish` prints for the same rules and settings, so a
/// partner can tell which rules of engagement the direct deals were judged by.
/// </summary>
internal sealed record PartnerStatement(
    string Format,
    DateTime GeneratedOn,
    string RulesVersion,
    StatementPeriod Period,
    StatementPartner Partner,
    StatementTotals Totals,
    Fairness Fairness,
    IReadOnlyList<StatementCustomer> Customers,
    IReadOnlyList<StatementLostCustomer> Lost,
    IReadOnlyList<StatementDeal> Deals,
    IReadOnlyList<StatementDirectDeal> DirectDeals,
    IReadOnlyList<ConflictDeal> Conflicts,
    IReadOnlyList<StatementRun> Runs,
    IReadOnlyList<StatementRuleChange> RuleChanges,
    string History)
{
    public const string FormatName = "partnerguard-statement/1";
}

/// <summary>The period the lists of events cover: from <see cref="Since"/> (all time when null) to the statement's date.</summary>
internal sealed record StatementPeriod(DateOnly? Since, DateTime Until);

internal sealed record StatementPartner(Guid Id, string Name, int? Capacity);

/// <summary>
/// Customers, load and open deals are the audit's distribution row for this partner; direct deals and conflicts
/// are counted from the lists below (deals of its customers recorded Direct; the audit's conflicts that involve it).
/// </summary>
internal sealed record StatementTotals(
    int Customers,
    int AssignedInPeriod,
    int LostInPeriod,
    decimal? Load,
    int OpenDeals,
    decimal OpenValue,
    int DirectDeals,
    decimal DirectValue,
    int Conflicts,
    decimal ConflictValue);

/// <summary>A customer assigned to the partner now: when, by which run and with which strategy (when a console run assigned it).</summary>
internal sealed record StatementCustomer(Guid Id, string Name, string? Country, DateTime? AssignedOn, string? Run, string? Strategy, bool InPeriod);

/// <summary>A customer the partner lost in the period (from the run journals): to whom, by which run, why, when.</summary>
internal sealed record StatementLostCustomer(Guid Id, string? Name, string? NewPartner, string Run, string Why, DateTime? On);

/// <summary>An open deal that names the partner, with its recorded channel; <see cref="OwnCustomer"/> when the customer is assigned to it.</summary>
internal sealed record StatementDeal(Guid Id, string Name, string? Customer, string Channel, decimal Value, bool OwnCustomer, string? Reason);

/// <summary>An open deal of one of the partner's customers recorded Direct, with the rule that made it direct.</summary>
internal sealed record StatementDirectDeal(Guid Id, string Name, string? Customer, decimal Value, Guid? RuleId, string Rule, DateTime? DecidedOn);

/// <summary>A reassignment run in the period, and how many of the partner's current customers carry its run id.</summary>
internal sealed record StatementRun(string Run, string Status, string? Strategy, DateTime? StartedOn, DateTime? FinishedOn, int CustomersFromRun, int Undone);

/// <summary>A direct sales rule that starts or ends within the period (so deals of the partner's customers may change channel).</summary>
internal sealed record StatementRuleChange(Guid Id, string Rule, string Change, string Day);
