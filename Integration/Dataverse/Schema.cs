namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Logical names the console reads and writes (DESIGN §2). The values come from the plugin's schema classes, so each
/// name is written once; only the console's own columns (account number, owner) are spelled here.
/// </summary>
internal static class AccountColumns
{
    public const string Table = global::PartnerGuard.Policy.Schema.AccountColumns.Table;
    public const string Id = global::PartnerGuard.Policy.Schema.AccountColumns.Id;
    public const string Name = global::PartnerGuard.Policy.Schema.AccountColumns.Name;
    public const string Number = "accountnumber";
    public const string Country = global::PartnerGuard.Policy.Schema.AccountColumns.Country;
    public const string StateOrProvince = global::PartnerGuard.Policy.Schema.AccountColumns.StateOrProvince;
    public const string StateCode = global::PartnerGuard.Policy.Schema.AccountColumns.StateCode;
    public const string RelationshipType = global::PartnerGuard.Policy.Schema.AccountColumns.RelationshipType;
    public const string RevenueBase = global::PartnerGuard.Policy.Schema.AccountColumns.RevenueBase;
    public const string Employees = global::PartnerGuard.Policy.Schema.AccountColumns.NumberOfEmployees;
    public const string Owner = "ownerid";
    public const string ParentAccount = global::PartnerGuard.Policy.Schema.AccountColumns.ParentAccountId;

    /// <summary>The assigned partner lookup; its Web API bind name is read from metadata (pg_AssignedPartnerId).</summary>
    public const string AssignedPartner = global::PartnerGuard.Policy.Schema.AccountColumns.AssignedPartnerId;
    public const string AssignedOn = global::PartnerGuard.Policy.Schema.AccountColumns.PartnerAssignedOn;
    public const string AssignmentRun = global::PartnerGuard.Policy.Schema.AccountColumns.AssignmentRun;
    public const string PartnerCapacity = global::PartnerGuard.Policy.Schema.AccountColumns.PartnerCapacity;
    public const string PartnerCountries = global::PartnerGuard.Policy.Schema.AccountColumns.PartnerCountries;
    public const string PartnerTeam = global::PartnerGuard.Policy.Schema.AccountColumns.PartnerTeamId;

    /// <summary>The read-only value property of a lookup in Web API results: _x_value.</summary>
    public static string ValueOf(string lookup) => $"_{lookup}_value";
}

internal static class DirectSalesRuleColumns
{
    public const string Table = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Table;
    public const string Id = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Id;
    public const string Name = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Name;
    public const string Kind = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Kind;
    public const string Measure = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Measure;
    public const string Threshold = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Threshold;
    public const string Countries = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Countries;
    public const string Regions = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Regions;
    public const string Account = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.AccountId;
    public const string IncludeSubsidiaries = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.IncludeSubsidiaries;
    public const string Description = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Description;
    public const string Priority = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.Priority;
    public const string EffectiveFrom = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.EffectiveFrom;
    public const string EffectiveTo = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.EffectiveTo;
    public const string StateCode = global::PartnerGuard.Policy.Schema.DirectSalesRuleColumns.StateCode;

    /// <summary>The Web API $select of every rule column the console reads (the planner and the transparency commands).</summary>
    public static readonly string Select = string.Join(",",
        Id, Name, Kind, Measure, Threshold, Countries, Regions, AccountColumns.ValueOf(Account), IncludeSubsidiaries,
        Description, Priority, EffectiveFrom, EffectiveTo, StateCode);
}

/// <summary>OData annotation carrying the table a polymorphic lookup points to (owner: systemuser or team).</summary>
internal static class Annotations
{
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";
}
