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

/// <summary>
/// What a planning did, without its rows (they went to the sink): how many accounts of this shard were read, how
/// many were planned for how many partners, and how many were left out, per reason (most frequent first, then by
/// reason). Reasons are counted, not listed per account, so the summary stays small however many accounts there
/// are. When the wave filled (--max-accounts), reading stopped there: <see cref="WaveFullAt"/> says so, and
/// accounts after the last planned one were neither read nor counted.
/// </summary>
internal sealed record PlanSummary(
    int Read,
    int Rows,
    int Partners,
    int ActivePartners,
    int Unplanned,
    IReadOnlyList<(string Reason, int Count)> UnplannedByReason,
    int? WaveFullAt);

/// <summary>
/// Counts of accounts left out per reason. Reasons name at most a partner, a rule, a country or a mapping line, so
/// there are few distinct ones; still, past <see cref="MaxReasons"/> distinct reasons further new ones are counted
/// together under <see cref="OtherReasons"/>, so the counts stay bounded whatever the data.
/// </summary>
internal sealed class UnplannedCounts
{
    public const int MaxReasons = 1000;
    public const string OtherReasons = "other reasons (too many distinct reasons to count each)";

    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Total { get; private set; }

    public void Add(string reason)
    {
        Total++;
        if (!_counts.ContainsKey(reason) && _counts.Count >= MaxReasons)
        {
            reason = OtherReasons;
        }

        _counts[reason] = _counts.GetValueOrDefault(reason) + 1;
    }

    public IReadOnlyList<(string Reason, int Count)> ByReason() => _counts
        .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => (c.Key, c.Value))
        .ToList();
}
