namespace PartnerGuard.Emulator.Security;

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
