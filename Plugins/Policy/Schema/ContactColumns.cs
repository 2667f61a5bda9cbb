namespace PartnerGuard.Policy.Schema;

/// <summary>Logical names on the contact table: a deal's customer may be a contact, whose account is its parent customer.</summary>
public static class ContactColumns
{
    public const string Table = "contact";
    public const string EntitySet = "contacts";
    public const string Id = "contactid";
    public const string ParentCustomerId = "parentcustomerid";
}
