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
