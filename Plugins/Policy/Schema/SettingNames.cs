namespace PartnerGuard.Policy.Schema;

/// <summary>Schema names of the PartnerGuard environment variables (DESIGN §2).</summary>
public static class SettingNames
{
    public const string EnforcementMode = "pg_EnforcementMode";
    public const string PartnerRelationshipTypes = "pg_PartnerRelationshipTypes";
    public const string AutoAttachAssignedPartner = "pg_AutoAttachAssignedPartner";
    public const string ConflictPolicy = "pg_ConflictPolicy";
    public const string BypassTeamId = "pg_BypassTeamId";

    /// <summary>All of them, in the order admins see them.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        EnforcementMode, PartnerRelationshipTypes, AutoAttachAssignedPartner, ConflictPolicy, BypassTeamId,
    };
}
