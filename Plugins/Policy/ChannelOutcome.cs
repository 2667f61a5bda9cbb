namespace PartnerGuard.Policy;

/// <summary>What the channel decision does with a deal (DESIGN §1).</summary>
public enum ChannelOutcome
{
    /// <summary>The deal goes through a partner (named on the deal or attached automatically).</summary>
    Partner,

    /// <summary>A published direct sales rule covers the deal.</summary>
    Direct,

    /// <summary>Audit mode: the deal would have been blocked; it is saved and recorded.</summary>
    Unresolved,

    /// <summary>The deal would have been blocked; a principal an admin named explicitly saved it anyway.</summary>
    Bypassed,

    /// <summary>Enforce mode: the save is refused with a catalogued message.</summary>
    Blocked,
}
