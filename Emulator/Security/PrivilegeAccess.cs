namespace PartnerGuard.Emulator.Security;

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
