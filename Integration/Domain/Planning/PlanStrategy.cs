namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>The partner-choosing strategy of DESIGN §6.</summary>
internal enum PlanStrategy
{
    Mapping,
    Territory,
    Balanced,
}
