namespace PartnerGuard.Policy.Schema;

/// <summary>The team membership intersect table (systemuser ↔ team): who is in the bypass team.</summary>
public static class TeamMembershipColumns
{
    public const string Table = "teammembership";
    public const string Id = "teammembershipid";
    public const string TeamId = "teamid";
    public const string SystemUserId = "systemuserid";
}
