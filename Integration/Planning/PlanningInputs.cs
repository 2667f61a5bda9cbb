namespace PartnerGuard.Integration.Planning;

/// <summary>A customer account as planning sees it (read from Dataverse, or built by tests).</summary>
internal sealed record AccountCandidate(
    Guid Id,
    string Name,
    string? AccountNumber,
    string? Country,
    Guid? OwnerId,
    string? OwnerTable,
    Guid? AssignedPartnerId,
    bool IsActive = true,
    bool IsPartner = false)
{
    /// <summary>Annual revenue in base currency (<c>revenue_base</c>), for size rules.</summary>
    public decimal? AnnualRevenueBase { get; init; }

    /// <summary>Number of employees, for size rules.</summary>
    public int? Employees { get; init; }

    /// <summary>State or province as typed (<c>address1_stateorprovince</c>), for geography rules.</summary>
    public string? StateOrProvince { get; init; }

    /// <summary>Parent accounts, nearest first, for named-account rules with subsidiaries.</summary>
    public IReadOnlyList<Guid> AncestorIds { get; init; } = [];
}

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

/// <summary>The partner-choosing strategy of DESIGN §6.</summary>
internal enum PlanStrategy
{
    Mapping,
    Territory,
    Balanced,
}

/// <summary>Everything that decides a plan besides the accounts and partners.</summary>
internal sealed record PlanSettings(
    string RunId,
    DateTimeOffset CreatedOn,
    PlanStrategy Strategy,
    int? MaxAccounts = null,
    int? PerPartnerMax = null,
    Shard? Shard = null,
    MappingTable? Mapping = null);

/// <summary>An eligible account the plan did not include, and why.</summary>
internal sealed record Unplanned(Guid AccountId, string AccountName, string Reason);

/// <summary>The plan, plus the accounts left out with a reason each (for the console summary and reports).</summary>
internal sealed record PlanBuildResult(PartnerGuard.Integration.Plans.Plan Plan, IReadOnlyList<Unplanned> Unplanned);
