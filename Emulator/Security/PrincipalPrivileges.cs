namespace PartnerGuard.Emulator.Security;

/// <summary>
/// Where one privilege reaches for one user, merged over every role the user holds directly and through its teams:
/// every row (<see cref="Global"/>), rows owned by one of <see cref="Owners"/> (Basic), or rows whose owning business
/// unit is one of <see cref="BusinessUnits"/> (Local: the principal's unit; Deep: it and the units below it). Checking
/// a row is two hash lookups.
/// </summary>
internal sealed class PrivilegeGrant
{
    public bool Global { get; set; }

    public HashSet<Guid> Owners { get; } = new();

    public HashSet<Guid> BusinessUnits { get; } = new();

    /// <summary>The deepest depth any role gives (for messages and counts).</summary>
    public PrivilegeDepth Depth { get; set; }

    public bool Allows(Guid? owner, Guid? owningBusinessUnit)
        => Global
        || (owner is { } o && Owners.Contains(o))
        || (owningBusinessUnit is { } bu && BusinessUnits.Contains(bu));
}

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
