namespace PartnerGuard.Policy;

/// <summary>Rollout mode (<c>pg_EnforcementMode</c>). Audit is the default after import.</summary>
public enum EnforcementMode
{
    /// <summary>Never blocks: records Unresolved with the reason it would have blocked.</summary>
    Audit,

    /// <summary>Blocks deals without a partner or a covering rule.</summary>
    Enforce,
}

/// <summary>What happens when a deal names a partner other than the customer's assigned one (<c>pg_ConflictPolicy</c>).</summary>
public enum ConflictPolicy
{
    Block,
    Allow,
}

/// <summary>
/// The admin settings the decision reads. Build them with <see cref="ChannelSettingsParser"/>;
/// a settings value that could not be read or parsed is carried in <see cref="Problem"/> and makes
/// every decision fail closed (PG-900) in Enforce mode.
/// </summary>
public sealed record ChannelSettings
{
    private static readonly IReadOnlyList<int> DefaultPartnerTypes = new[] { 5, 9 };

    /// <summary>The settings a fresh import has: Audit, partner types 5 (Partner) and 9 (Reseller), auto-attach on, conflicts blocked, no bypass.</summary>
    public static ChannelSettings Default { get; } = new();

    public EnforcementMode Mode { get; init; } = EnforcementMode.Audit;

    /// <summary>Account relationship types (<c>customertypecode</c>) that count as partners.</summary>
    public IReadOnlyList<int> PartnerRelationshipTypes { get; init; } = DefaultPartnerTypes;

    public bool AutoAttachAssignedPartner { get; init; } = true;

    public ConflictPolicy ConflictPolicy { get; init; } = ConflictPolicy.Block;

    /// <summary>Members of this team may save deals that would be blocked; the save is recorded as Bypassed. Null: nobody.</summary>
    public Guid? BypassTeamId { get; init; }

    /// <summary>An admin-directed description of what is wrong with the settings, or null when they are sound.</summary>
    public string? Problem { get; init; }

    public bool IsPartnerRelationshipType(int relationshipType)
    {
        var types = PartnerRelationshipTypes;
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] == relationshipType)
            {
                return true;
            }
        }

        return false;
    }
}
