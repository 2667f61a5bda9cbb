namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>OData annotation carrying the table a polymorphic lookup points to (owner: systemuser or team).</summary>
internal static class Annotations
{
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";
}
