using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// The solution's views on the embedded org's demo data (issue #13): every opportunity and account view, run as the
/// FetchXML it ships with, returns exactly the rows a plain C# reading of its name selects from all rows. The demo data
/// has no bypassed and no conflicting deals (its sellers name the assigned partner or none); the WebApi tests'
/// seeded org covers those two views row by row.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class DemoViewsTests(SeededStateFixture seeded)
{
    private const int Direct = 723100001;
    private const int Unresolved = 723100002;
    private const int Bypassed = 723100003;

    private static readonly int[] PartnerTypes = [5, 9];

    [Fact]
    public void EveryDealAndAccountView_ReturnsExactlyTheRowsItsNamePromises_OnTheDemoData()
    {
        var org = DataverseOrg.Load(seeded.StatePath);
        var service = org.GetService();
        var accounts = service.RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet(true) }).Entities.ToDictionary(a => a.Id);
        var deals = service.RetrieveMultiple(new QueryExpression("opportunity") { ColumnSet = new ColumnSet(true) }).Entities.ToList();

        int? Int(Entity e, string column) => e.GetAttributeValue<OptionSetValue>(column)?.Value;
        Guid? Ref(Entity e, string column) => e.GetAttributeValue<EntityReference>(column)?.Id;
        bool Active(Entity e) => Int(e, "statecode") == 0;
        bool IsPartner(Entity a) => Int(a, "customertypecode") is { } type && PartnerTypes.Contains(type);
        Guid? CustomersPartner(Entity deal) =>
            deal.GetAttributeValue<EntityReference>("customerid") is { LogicalName: "account" } customer && accounts.TryGetValue(customer.Id, out var account)
                ? Ref(account, "pg_assignedpartnerid")
                : null;

        var promises = new Dictionary<string, IEnumerable<Entity>>(StringComparer.Ordinal)
        {
            ["Open deals without a partner"] = deals.Where(d => Active(d) && Ref(d, "pg_partnerid") is null),
            ["Deals by channel"] = deals.Where(d => Int(d, "pg_channel") is not null),
            ["Deals handled direct, by rule"] = deals.Where(d => Int(d, "pg_channel") == Direct),
            ["Unresolved deals (audit mode)"] = deals.Where(d => Int(d, "pg_channel") == Unresolved),
            ["Bypassed deals"] = deals.Where(d => Int(d, "pg_channel") == Bypassed),
            ["Deals in channel conflict"] = deals.Where(d => Ref(d, "pg_partnerid") is { } partner && CustomersPartner(d) is { } assigned && assigned != partner),
            ["Customers without a partner (eligible)"] = accounts.Values.Where(a => Active(a) && !IsPartner(a) && Ref(a, "pg_assignedpartnerid") is null),
            ["Customers by assigned partner"] = accounts.Values.Where(a => Active(a) && Ref(a, "pg_assignedpartnerid") is not null),
            ["Active partners"] = accounts.Values.Where(a => Active(a) && IsPartner(a)),
            ["Partners by load"] = accounts.Values.Where(a => Active(a) && IsPartner(a)),
        };

        var views = new QueryExpression("savedquery") { ColumnSet = new ColumnSet("name", "fetchxml") };
        views.Criteria.AddCondition("returnedtypecode", ConditionOperator.In, "opportunity", "account");
        var found = service.RetrieveMultiple(views).Entities;

        Assert.Equal(promises.Keys.Order(StringComparer.Ordinal), found.Select(v => v.GetAttributeValue<string>("name")).Order(StringComparer.Ordinal));
        foreach (var view in found)
        {
            var name = view.GetAttributeValue<string>("name");
            var returned = service.RetrieveMultiple(new FetchExpression(view.GetAttributeValue<string>("fetchxml"))).Entities.Select(e => e.Id).Order().ToList();
            var expected = promises[name].Select(e => e.Id).Order().ToList();
            Assert.True(expected.SequenceEqual(returned), $"view '{name}' returned {returned.Count} rows, its name promises {expected.Count}");
        }

        // The demo data exercises the leakage and assignment views with real volume.
        Assert.All(new[] { "Open deals without a partner", "Deals handled direct, by rule", "Unresolved deals (audit mode)", "Customers without a partner (eligible)", "Customers by assigned partner", "Active partners" },
            name => Assert.NotEmpty(promises[name]));
    }
}
