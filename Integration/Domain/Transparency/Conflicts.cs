namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>Open deals whose partner differs from the customer's assigned partner.</summary>
internal sealed record Conflicts(Tally Total, IReadOnlyList<ConflictDeal> Deals);

internal sealed record ConflictDeal(Guid DealId, string Deal, string? Customer, decimal Value, string DealPartner, string AssignedPartner);
