namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>
/// An active partner account: its capacity (<c>pg_partnercapacity</c>, null = no cap), how many customers it
/// already has, the ISO codes it serves (<c>pg_partnercountries</c>, empty = any) and its team.
/// </summary>
internal sealed record PartnerCandidate(
    Guid Id,
    string Name,
    int? Capacity,
    int Assigned,
    IReadOnlyList<string> Countries,
    Guid? TeamId = null);
