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
