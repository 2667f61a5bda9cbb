namespace PartnerGuard.Policy.Schema;

/// <summary>
/// Logical names on the account table that PartnerGuard reads or writes (DESIGN §2), the Web API entity set and,
/// for PartnerGuard's own lookups, the navigation property a Web API "@odata.bind" uses: its schema name.
/// </summary>
public static class AccountColumns
{
    public const string Table = "account";
    public const string EntitySet = "accounts";
    public const string Id = "accountid";
    public const string Name = "name";
    public const string Number = "accountnumber";
    public const string OwnerId = "ownerid";
    public const string RevenueBase = "revenue_base";
    public const string NumberOfEmployees = "numberofemployees";
    public const string Country = "address1_country";
    public const string StateOrProvince = "address1_stateorprovince";
    public const string ParentAccountId = "parentaccountid";
    public const string RelationshipType = "customertypecode";
    public const string StateCode = "statecode";
    public const string AssignedPartnerId = "pg_assignedpartnerid";
    public const string PartnerAssignedOn = "pg_partnerassignedon";
    public const string AssignmentRun = "pg_assignmentrun";
    public const string PartnerCapacity = "pg_partnercapacity";
    public const string PartnerCountries = "pg_partnercountries";
    public const string PartnerTeamId = "pg_partnerteamid";

    /// <summary>Navigation property of <see cref="AssignedPartnerId"/> (its schema name).</summary>
    public const string AssignedPartnerNavigation = "pg_AssignedPartnerId";

    /// <summary>Navigation property of <see cref="PartnerTeamId"/> (its schema name).</summary>
    public const string PartnerTeamNavigation = "pg_PartnerTeamId";

    /// <summary><c>statecode</c> of an active account.</summary>
    public const int Active = 0;
}
