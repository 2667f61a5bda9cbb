namespace PartnerGuard.Policy;

/// <summary>
/// What the decision knows about a partner account (named on a deal, or assigned to a customer).
/// <paramref name="Found"/> is false when the account could not be read (deleted, or never existed);
/// such a partner is never an active partner.
/// </summary>
public sealed record PartnerFacts(Guid AccountId, string? Name, int? RelationshipType, bool IsActive, bool Found = true)
{
    /// <summary>Active, and its relationship type is one the settings count as a partner.</summary>
    public bool IsActivePartner(ChannelSettings settings)
    {
        if (!Found || !IsActive || RelationshipType is not int type)
        {
            return false;
        }

        return settings.IsPartnerRelationshipType(type);
    }

    /// <summary>A partner reference that could not be read.</summary>
    public static PartnerFacts Missing(Guid accountId, string? name = null) => new(accountId, name, null, false, false);
}
