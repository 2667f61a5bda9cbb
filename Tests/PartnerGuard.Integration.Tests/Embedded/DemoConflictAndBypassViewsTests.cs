using Microsoft.Extensions.Time.Testing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// The two deal views the demo data leaves empty (its sellers name the customer's assigned partner or none, and no bypass
/// team is set), on a fresh demo org with its plug-ins: once an admin allows conflicts and names a bypass team, a deal a
/// seller saves with another partner than the customer's is the one row of *Deals in channel conflict*, and a deal a
/// bypass team member saves without a partner is the one row of *Bypassed deals*, each with the channel the plug-in
/// recorded. A fresh org (its own organization id and clock) keeps the plug-ins' settings cache apart from other tests.
/// </summary>
public sealed class DemoConflictAndBypassViewsTests
{
    [Fact]
    public void ConflictAndBypassViews_ListTheDealsThePlugInRecordedSo()
    {
        var clock = new FakeTimeProvider(DemoDataSet.SeededOn.AddDays(1));
        var org = EmbeddedOrg.CreateSeeded(SolutionSource.Locate(), new DataverseOrgOptions { Clock = clock }, out _);
        var admin = org.GetService();
        Entity Account(string name)
        {
            var query = new QueryExpression(AccountColumns.Table) { ColumnSet = new ColumnSet(AccountColumns.AssignedPartnerId) };
            query.Criteria.AddCondition(AccountColumns.Name, ConditionOperator.Equal, name);
            return Assert.Single(admin.RetrieveMultiple(query).Entities);
        }

        Assert.Empty(RunView(admin, "Deals in channel conflict"));
        Assert.Empty(RunView(admin, "Bypassed deals"));

        org.SetEnvironmentVariable(SettingNames.ConflictPolicy, "Allow");
        var customer = Account(DemoDataSet.AssignedCustomerName);
        var assigned = customer.GetAttributeValue<EntityReference>(AccountColumns.AssignedPartnerId);
        var other = Account("Thames Valley Consulting " + DemoDataSet.Label);
        Assert.NotEqual(assigned.Id, other.Id);
        var seller = org.GetService(DemoUsers.AddSeller(org, "Conflict Seller", Guid.Parse("c0f11c70-0000-4000-8000-000000000001")));
        var conflict = seller.Create(new Entity(OpportunityColumns.Table)
        {
            ["name"] = "Meridian Health – second opinion " + DemoDataSet.Label,
            [OpportunityColumns.CustomerId] = customer.ToEntityReference(),
            [OpportunityColumns.PartnerId] = other.ToEntityReference(),
        });

        var bypasser = DemoUsers.AddSeller(org, "Bypass Seller", Guid.Parse("b7a55000-0000-4000-8000-000000000002"));
        org.SetEnvironmentVariable(SettingNames.BypassTeamId, org.CreateTeam("Bypass team " + DemoDataSet.Label, bypasser).ToString());
        clock.Advance(TimeSpan.FromMinutes(5)); // past the plug-ins' settings cache, as the README tells admins to allow
        var bypassed = org.GetService(bypasser).Create(new Entity(OpportunityColumns.Table)
        {
            ["name"] = "Harbor Freight – urgent renewal " + DemoDataSet.Label,
            [OpportunityColumns.CustomerId] = Account(DemoDataSet.UncoveredCustomerName).ToEntityReference(),
        });

        var channels = new[] { conflict, bypassed }.Select(id => admin.Retrieve(OpportunityColumns.Table, id, new ColumnSet(OpportunityColumns.Channel))
            .GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel)?.Value).ToArray();
        Assert.Equal(new int?[] { ChannelOptionValues.Partner, ChannelOptionValues.Bypassed }, channels);
        Assert.Equal([conflict], RunView(admin, "Deals in channel conflict"));
        Assert.Equal([bypassed], RunView(admin, "Bypassed deals"));
    }

    private static List<Guid> RunView(IOrganizationService service, string name)
    {
        var views = new QueryExpression("savedquery") { ColumnSet = new ColumnSet("fetchxml") };
        views.Criteria.AddCondition("name", ConditionOperator.Equal, name);
        var fetchXml = Assert.Single(service.RetrieveMultiple(views).Entities).GetAttributeValue<string>("fetchxml");
        return service.RetrieveMultiple(new FetchExpression(fetchXml)).Entities.Select(e => e.Id).ToList();
    }
}
