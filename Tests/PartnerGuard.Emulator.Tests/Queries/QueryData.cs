using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>A small, fixed data set for the query tables: accounts with a hierarchy, contacts and opportunities.</summary>
public sealed class QueryData
{
    public QueryData()
    {
        Org = DataverseOrg.Create();
        var service = Org.GetService();
        Guid Account(string name, Action<Entity>? set = null)
        {
            var entity = new Entity("account") { ["name"] = name };
            set?.Invoke(entity);
            var id = service.Create(entity);
            Ids[name] = id;
            return id;
        }

        var contoso = Account("Contoso", e =>
        {
            e["revenue"] = new Money(5_000_000m);
            e["address1_country"] = "US";
            e["numberofemployees"] = 500;
            e["customertypecode"] = new OptionSetValue(3);
        });
        var europe = Account("Contoso Europe", e =>
        {
            e["revenue"] = new Money(1_000_000m);
            e["address1_country"] = "DE";
            e["numberofemployees"] = 50;
            e["parentaccountid"] = new EntityReference("account", contoso);
        });
        Account("Contoso Berlin", e =>
        {
            e["address1_country"] = "DE";
            e["parentaccountid"] = new EntityReference("account", europe);
        });
        var fabrikam = Account("Fabrikam", e =>
        {
            e["revenue"] = new Money(250_000m);
            e["address1_country"] = "us";
            e["numberofemployees"] = 10;
            e["customertypecode"] = new OptionSetValue(5);
        });
        Account("Adventure Works", e =>
        {
            e["revenue"] = new Money(0m);
            e["address1_country"] = "GB";
            e["customertypecode"] = new OptionSetValue(5);
        });
        Account("Café Olé", e => e["address1_country"] = "FR");
        var northwind = Account("Northwind_Traders", e =>
        {
            e["address1_country"] = "US";
            e["numberofemployees"] = 10;
        });
        service.Update(new Entity("account", northwind) { ["statecode"] = new OptionSetValue(1) });

        Ids["Ada"] = service.Create(new Entity("contact") { ["firstname"] = "Ada", ["lastname"] = "Lovelace", ["parentcustomerid"] = new EntityReference("account", contoso) });
        Ids["Grace"] = service.Create(new Entity("contact") { ["firstname"] = "Grace", ["lastname"] = "Hopper", ["parentcustomerid"] = new EntityReference("account", contoso) });
        Ids["Linus"] = service.Create(new Entity("contact") { ["firstname"] = "Linus", ["lastname"] = "Torvalds", ["parentcustomerid"] = new EntityReference("account", fabrikam) });
        Ids["Solo"] = service.Create(new Entity("contact") { ["firstname"] = "Han", ["lastname"] = "Solo" });

        Ids["Big deal"] = service.Create(new Entity("opportunity")
        {
            ["name"] = "Big deal", ["customerid"] = new EntityReference("account", contoso), ["estimatedvalue"] = new Money(900_000m),
            ["estimatedclosedate"] = new DateTime(2026, 5, 10, 15, 0, 0, DateTimeKind.Utc),
        });
        Ids["Small deal"] = service.Create(new Entity("opportunity")
        {
            ["name"] = "Small deal", ["customerid"] = new EntityReference("account", fabrikam), ["estimatedvalue"] = new Money(5_000m),
            ["estimatedclosedate"] = new DateTime(2026, 5, 11, 0, 0, 0, DateTimeKind.Utc),
        });
        Ids["Contact deal"] = service.Create(new Entity("opportunity")
        {
            ["name"] = "Contact deal", ["customerid"] = new EntityReference("contact", Ids["Solo"]), ["estimatedvalue"] = new Money(1_000m),
            ["estimatedclosedate"] = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc),
        });
    }

    public DataverseOrg Org { get; }

    public Dictionary<string, Guid> Ids { get; } = new();
}
