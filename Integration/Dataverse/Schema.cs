namespace PartnerGuard.Integration.Dataverse;

/// <summary>Logical names the console reads and writes (DESIGN §2), in one place per table.</summary>
internal static class AccountColumns
{
    public const string Table = "account";
    public const string Id = "accountid";
    public const string Name = "name";
    public const string Number = "accountnumber";
    public const string Country = "address1_country";
    public const string StateOrProvince = "address1_stateorprovince";
    public const string StateCode = "statecode";
    public const string RelationshipType = "customertypecode";
    public const string RevenueBase = "revenue_base";
    public const string Employees = "numberofemployees";
    public const string Owner = "ownerid";
    public const string ParentAccount = "parentaccountid";

    /// <summary>The assigned partner lookup; its Web API bind name is read from metadata (pg_AssignedPartnerId).</summary>
    public const string AssignedPartner = "pg_assignedpartnerid";
    public const string AssignedOn = "pg_partnerassignedon";
    public const string AssignmentRun = "pg_assignmentrun";
    public const string PartnerCapacity = "pg_partnercapacity";
    public const string PartnerCountries = "pg_partnercountries";
    public const string PartnerTeam = "pg_partnerteamid";

    /// <summary>The read-only value property of a lookup in Web API results: _x_value.</summary>
    public static string ValueOf(string lookup) => $"_{lookup}_value";
}

internal static class DirectSalesRuleColumns
{
    public const string Table = "pg_directsalesrule";
    public const string Id = "pg_directsalesruleid";
    public const string Name = "pg_name";
    public const string Kind = "pg_kind";
    public const string Measure = "pg_measure";
    public const string Threshold = "pg_threshold";
    public const string Countries = "pg_countries";
    public const string Regions = "pg_regions";
    public const string Account = "pg_accountid";
    public const string IncludeSubsidiaries = "pg_includesubsidiaries";
    public const string Description = "pg_description";
    public const string Priority = "pg_priority";
    public const string EffectiveFrom = "pg_effectivefrom";
    public const string EffectiveTo = "pg_effectiveto";
    public const string StateCode = "statecode";
}

/// <summary>OData annotation carrying the table a polymorphic lookup points to (owner: systemuser or team).</summary>
internal static class Annotations
{
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";
}
