namespace PartnerGuard.Plugins;

/// <summary>Logical names on the account table that PartnerGuard reads or writes (DESIGN §2).</summary>
public static class AccountColumns
{
    public const string Table = "account";
    public const string AccountId = "accountid";
    public const string Name = "name";
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

    /// <summary><c>statecode</c> of an active account.</summary>
    public const int Active = 0;
}

/// <summary>Logical names on the contact table.</summary>
public static class ContactColumns
{
    public const string Table = "contact";
    public const string ParentCustomerId = "parentcustomerid";
}
