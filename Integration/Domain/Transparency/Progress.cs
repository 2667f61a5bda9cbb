namespace PartnerGuard.Integration.Domain.Transparency;

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
