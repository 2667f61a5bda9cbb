namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>
/// What a planning did, without its rows (they went to the sink): how many accounts of this shard were read, how
/// many were planned for how many partners, and how many were left out, per reason (most frequent first, then by
/// reason). Reasons are counted, not listed per account, so the summary stays small however many accounts there
/// are. When the wave filled (--max-accounts), reading stopped there: <see cref="WaveFullAt"/> says so, and
/// accounts after the last planned one were neither read nor counted. <see cref="UnmatchedMapping"/> lists the rows of
/// the mapping file whose account was not among the accounts read (null: no mapping, or the wave filled first, so
/// not every account was read).
/// </summary>
internal sealed record PlanSummary(
    int Read,
    int Rows,
    int Partners,
    int ActivePartners,
    int Unplanned,
    IReadOnlyList<(string Reason, int Count)> UnplannedByReason,
    int? WaveFullAt,
    IReadOnlyList<MappingRow>? UnmatchedMapping = null);

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
