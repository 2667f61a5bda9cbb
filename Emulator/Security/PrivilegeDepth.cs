namespace PartnerGuard.Emulator.Security;

/// <summary>
/// How far a privilege reaches (a role privilege's access level). Ordered: a deeper level includes the shallower ones.
/// The role XML names them Basic, Local, Deep, Global; the <c>roleprivileges.privilegedepthmask</c> column stores them
/// as 1, 2, 4, 8 (Microsoft Learn, "Security concepts in Microsoft Dataverse": User, Business Unit,
/// Parent: Child Business Units, Organization).
/// </summary>
public enum PrivilegeDepth
{
    /// <summary>Not held.</summary>
    None = 0,

    /// <summary>User: rows owned by the user or by a team the user belongs to.</summary>
    Basic = 1,

    /// <summary>Business unit: rows whose owning business unit is the principal's.</summary>
    Local = 2,

    /// <summary>Parent: child business units: rows owned in the principal's business unit or any unit below it.</summary>
    Deep = 3,

    /// <summary>Organization: every row.</summary>
    Global = 4,
}

/// <summary>The table privileges a role grants, named as in <c>prv{Access}{Table}</c>.</summary>
public enum PrivilegeAccess
{
    /// <summary>prvCreate: create a row.</summary>
    Create,

    /// <summary>prvRead: read a row.</summary>
    Read,

    /// <summary>prvWrite: change a row.</summary>
    Write,

    /// <summary>prvDelete: delete a row.</summary>
    Delete,

    /// <summary>prvAppend: point this row's lookups at other rows.</summary>
    Append,

    /// <summary>prvAppendTo: let other rows' lookups point at this row.</summary>
    AppendTo,

    /// <summary>prvAssign: give a row to another owner.</summary>
    Assign,

    /// <summary>prvShare: share a row.</summary>
    Share,
}

/// <summary>Conversions between depth names, masks and levels.</summary>
public static class PrivilegeDepths
{
    /// <summary>The depth a role XML level attribute names (Basic, Local, Deep, Global; case-insensitive), or null.</summary>
    public static PrivilegeDepth? Parse(string? level) => level?.Trim().ToLowerInvariant() switch
    {
        "basic" => PrivilegeDepth.Basic,
        "local" => PrivilegeDepth.Local,
        "deep" => PrivilegeDepth.Deep,
        "global" => PrivilegeDepth.Global,
        _ => null,
    };

    /// <summary>The <c>privilegedepthmask</c> value of a depth (1, 2, 4, 8).</summary>
    public static int ToMask(PrivilegeDepth depth) => depth switch
    {
        PrivilegeDepth.Basic => 1,
        PrivilegeDepth.Local => 2,
        PrivilegeDepth.Deep => 4,
        PrivilegeDepth.Global => 8,
        _ => 0,
    };

    /// <summary>The deepest depth a <c>privilegedepthmask</c> value holds.</summary>
    public static PrivilegeDepth FromMask(int mask)
        => (mask & 8) != 0 ? PrivilegeDepth.Global
        : (mask & 4) != 0 ? PrivilegeDepth.Deep
        : (mask & 2) != 0 ? PrivilegeDepth.Local
        : (mask & 1) != 0 ? PrivilegeDepth.Basic
        : PrivilegeDepth.None;
}
