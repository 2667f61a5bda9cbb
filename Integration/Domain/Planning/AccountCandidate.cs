namespace PartnerGuard.Integration.Domain.Planning;

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
