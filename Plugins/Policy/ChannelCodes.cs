namespace PartnerGuard.Policy;

/// <summary>
/// The stable codes that end every PartnerGuard message. PG-00x are for sellers, PG-9xx for admins.
/// </summary>
public static class ChannelCodes
{
    /// <summary>No partner on the deal and no direct sales rule covers the customer.</summary>
    public const string NoPartner = "PG-001";

    /// <summary>The partner named on the deal is not an active partner account.</summary>
    public const string PartnerNotActive = "PG-002";

    /// <summary>The partner named on the deal is the customer itself.</summary>
    public const string PartnerIsCustomer = "PG-003";

    /// <summary>The customer has an assigned partner and the deal names another one.</summary>
    public const string ChannelConflict = "PG-004";

    /// <summary>Settings or rules cannot be read or are invalid.</summary>
    public const string Misconfigured = "PG-900";

    /// <summary>A plug-in runs for an event it was not built for.</summary>
    public const string WrongRegistration = "PG-901";

    /// <summary>Something unexpected failed while checking a record.</summary>
    public const string Unexpected = "PG-902";

    /// <summary>An admin tried to save an inconsistent direct sales rule.</summary>
    public const string InvalidRule = "PG-910";
}
