namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Logical names the console reads and writes (DESIGN §2). The values come from the plugin's schema classes, so each
/// name is written once; only the console's own columns (account number, owner) are spelled here.
/// </summary>
internal static class AccountColumns
{
    public const string Table = global::PartnerGuard.Plugins.AccountColumns.Table;
    public const string Id = global::PartnerGuard.Plugins.AccountColumns.AccountId;
    public const string Name = global::PartnerGuard.Plugins.AccountColumns.Name;
    public const string Number = "accountnumber";
    public const string Country = global::PartnerGuard.Plugins.AccountColumns.Country;
    public const string StateOrProvince = global::PartnerGuard.Plugins.AccountColumns.StateOrProvince;
    public const string StateCode = global::PartnerGuard.Plugins.AccountColumns.StateCode;
    public const string RelationshipType = global::PartnerGuard.Plugins.AccountColumns.RelationshipType;
    public const string RevenueBase = global::PartnerGuard.Plugins.AccountColumns.RevenueBase;
    public const string Employees = global::PartnerGuard.Plugins.AccountColumns.NumberOfEmployees;
    public const string Owner = "ownerid";
    public const string ParentAccount = global::PartnerGuard.Plugins.AccountColumns.ParentAccountId;

    /// <summary>The assigned partner lookup; its Web API bind name is read from metadata (pg_AssignedPartnerId).</summary>
    public const string AssignedPartner = global::PartnerGuard.Plugins.AccountColumns.AssignedPartnerId;
    public const string AssignedOn = global::PartnerGuard.Plugins.AccountColumns.PartnerAssignedOn;
    public const string AssignmentRun = global::PartnerGuard.Plugins.AccountColumns.AssignmentRun;
    public const string PartnerCapacity = global::PartnerGuard.Plugins.AccountColumns.PartnerCapacity;
    public const string PartnerCountries = global::PartnerGuard.Plugins.AccountColumns.PartnerCountries;
    public const string PartnerTeam = global::PartnerGuard.Plugins.AccountColumns.PartnerTeamId;

    /// <summary>The read-only value property of a lookup in Web API results: _x_value.</summary>
    public static string ValueOf(string lookup) => $"_{lookup}_value";
}

internal static class DirectSalesRuleColumns
{
    public const string Table = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Table;
    public const string Id = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Id;
    public const string Name = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Name;
    public const string Kind = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Kind;
    public const string Measure = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Measure;
    public const string Threshold = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Threshold;
    public const string Countries = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Countries;
    public const string Regions = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Regions;
    public const string Account = global::PartnerGuard.Plugins.DirectSalesRuleColumns.AccountId;
    public const string IncludeSubsidiaries = global::PartnerGuard.Plugins.DirectSalesRuleColumns.IncludeSubsidiaries;
    public const string Description = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Description;
    public const string Priority = global::PartnerGuard.Plugins.DirectSalesRuleColumns.Priority;
    public const string EffectiveFrom = global::PartnerGuard.Plugins.DirectSalesRuleColumns.EffectiveFrom;
    public const string EffectiveTo = global::PartnerGuard.Plugins.DirectSalesRuleColumns.EffectiveTo;
    public const string StateCode = global::PartnerGuard.Plugins.DirectSalesRuleColumns.StateCode;

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
