namespace PartnerGuard.Emulator.Security;

/// <summary>What one user may do: its roles (direct and through owner teams) turned into one grant per privilege name.</summary>
internal sealed class PrincipalPrivileges
{
    public PrincipalPrivileges(Guid userId, Guid businessUnitId, int roleCount, bool isSystemAdministrator, Dictionary<string, PrivilegeGrant> grants)
    {
        UserId = userId;
        BusinessUnitId = businessUnitId;
        RoleCount = roleCount;
        IsSystemAdministrator = isSystemAdministrator;
        Grants = grants;
    }

    public Guid UserId { get; }

    public Guid BusinessUnitId { get; }

    public int RoleCount { get; }

    /// <summary>Holds the System Administrator role: every privilege at Global depth, including tables added later.</summary>
    public bool IsSystemAdministrator { get; }

    /// <summary>Privilege name (case-insensitive) → where it reaches.</summary>
    public Dictionary<string, PrivilegeGrant> Grants { get; }

    public int PrivilegeCount => Grants.Count;

    public PrivilegeGrant? Find(string privilegeName) => Grants.TryGetValue(privilegeName, out var grant) ? grant : null;
}
