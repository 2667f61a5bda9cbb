namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>Everything that decides a plan besides the accounts and partners.</summary>
internal sealed record PlanSettings(
    string RunId,
    DateTimeOffset CreatedOn,
    PlanStrategy Strategy,
    int? MaxAccounts = null,
    int? PerPartnerMax = null,
    Shard? Shard = null,
    MappingTable? Mapping = null);
