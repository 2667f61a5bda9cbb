namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The Dataverse sales privileges a PartnerGuard seller holds beside the <c>PartnerGuard Seller</c> role: the one list
/// of them, used by the embedded org (its demo sellers, channel manager and admin hold a role with exactly these) and
/// by the role tests, and stated in solution/README.md ("Roles and the application user"; a test keeps the two equal).
/// </summary>
/// <remarks>
/// In a customer's org these come from Dataverse's own roles (Salesperson, or Basic User plus the org's sales role);
/// the emulator has no such built-in roles, so the embedded org creates one role, <see cref="RoleName"/>, holding
/// exactly this subset. Depths are never wider than Dataverse's Salesperson role gives (Microsoft's published default
/// privileges of the Account and Opportunity tables: Salesperson creates, writes and appends its own deals, reads
/// accounts and deals organization-wide). Nothing here is a PartnerGuard table: what a seller needs of PartnerGuard
/// is in the Seller role.
/// </remarks>
internal static class BasicSalesPrivileges
{
    /// <summary>The name of the role the embedded org creates with these privileges.</summary>
    public const string RoleName = "Salesperson (emulated basic sales privileges)";

    /// <summary>Privilege name → depth (Basic, Local, Deep, Global), as role XML writes them.</summary>
    public static IReadOnlyList<(string Privilege, string Depth)> All { get; } =
    [
        ("prvCreateOpportunity", "Basic"),
        ("prvReadOpportunity", "Global"),
        ("prvWriteOpportunity", "Basic"),
        ("prvAppendOpportunity", "Basic"),
        ("prvReadAccount", "Global"),
        ("prvAppendToAccount", "Global"),
        ("prvReadContact", "Global"),
        ("prvAppendToContact", "Global"),
        ("prvReadTransactionCurrency", "Global"),
    ];
}
