namespace PartnerGuard.Integration.Domain.Transparency;

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
