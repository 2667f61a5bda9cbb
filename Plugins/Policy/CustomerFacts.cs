namespace PartnerGuard.Policy;

/// <summary>
/// What the decision knows about the customer account of a deal.
/// Money is in the organization's base currency. Unknown values are null, and a rule never matches
/// on an unknown value.
/// </summary>
public sealed record CustomerFacts
{
    public CustomerFacts(Guid accountId, string? name)
    {
        AccountId = accountId;
        Name = name;
    }

    public Guid AccountId { get; }

    public string? Name { get; }

    /// <summary>Annual revenue in base currency (<c>revenue_base</c>).</summary>
    public decimal? AnnualRevenueBase { get; init; }

    /// <summary>Number of employees.</summary>
    public int? Employees { get; init; }

    /// <summary>The country as typed on the account: names, codes and aliases in any case.</summary>
    public string? Country { get; init; }

    /// <summary>The state or province as typed on the account.</summary>
    public string? StateOrProvince { get; init; }

    /// <summary>The accounts above this one in the parent-account hierarchy, nearest first.</summary>
    public IReadOnlyList<Guid> AncestorAccountIds { get; init; } = Array.Empty<Guid>();

    /// <summary>The partner that owns this customer, if one is assigned.</summary>
    public PartnerFacts? AssignedPartner { get; init; }

    /// <summary>The account's own relationship type, if set.</summary>
    public int? RelationshipType { get; init; }

    /// <summary>Whether the account is active.</summary>
    public bool IsActive { get; init; } = true;
}
