using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Security;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// The embedded org's demo users (issue #17 item 2): each holds exactly the roles solution/README.md says, under a
/// stable domain name, and can do on the demo org what its role is for, with security enforced.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class DemoUsersTests(SeededStateFixture seeded)
{
    [Fact]
    public void DemoUsers_HoldExactlyTheirRoles_UnderStableDomainNames()
    {
        using var temp = new TempDirectory();
        using var embedded = EmbeddedOrg.Open(seeded.CopyInto(temp.Path), TimeProvider.System);
        var admin = embedded.Org.GetService();

        foreach (var user in DemoUsers.All)
        {
            var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("fullname", "isdisabled", "applicationid") };
            query.Criteria.AddCondition("domainname", ConditionOperator.Equal, user.DomainName);
            var row = Assert.Single(admin.RetrieveMultiple(query).Entities);
            Assert.Equal(user.Id, row.Id);
            Assert.Equal(user.FullName, row.GetAttributeValue<string>("fullname"));
            Assert.False(row.GetAttributeValue<bool>("isdisabled"));
            Assert.Equal(user.ApplicationId, row.GetAttributeValue<Guid?>("applicationid"));
            Assert.Equal(user.Roles.Order(StringComparer.Ordinal), RolesOf(admin, user.Id));
        }

        Assert.Equal(["sam.seller@partnerguard.demo", "channel.manager@partnerguard.demo", "admin@partnerguard.demo", "reassignment.job@partnerguard.demo"], DemoUsers.All.Select(u => u.DomainName));
        Assert.NotNull(DemoUsers.ReassignmentJob.ApplicationId);
    }

    [Fact]
    public async Task DemoJobUser_DistributesAWave_AndDemoSeller_SavesADealButNotASetting()
    {
        using var temp = new TempDirectory();
        using var embedded = EmbeddedOrg.Open(seeded.CopyInto(temp.Path), TimeProvider.System);
        var server = new DataverseWebApiServer(embedded.Org, new DataverseWebApiOptions
        {
            Tokens = DemoUsers.All.ToDictionary(u => u.DomainName, u => u.Id, StringComparer.Ordinal),
            RequireKnownToken = true,
        });
        var work = Path.Combine(temp.Path, "work");
        Directory.CreateDirectory(work);

        var run = await RoleOrg.RunAsUserAsync(server, work, DemoUsers.ReassignmentJob.DomainName, DateTimeOffset.UtcNow,
            "distribute", "--strategy", "balanced", "--wave-size", "20", "--run-id", "demo-job", "--yes", "--output", "out");

        Assert.True(run.Succeeded, run.All);
        var admin = embedded.Org.GetService();
        var changed = admin.RetrieveMultiple(new QueryByAttribute("account") { ColumnSet = new ColumnSet("modifiedby"), Attributes = { "pg_assignmentrun" }, Values = { "demo-job" } }).Entities;
        Assert.Equal(20, changed.Count);
        Assert.All(changed, a => Assert.Equal(DemoUsers.ReassignmentJob.Id, a.GetAttributeValue<EntityReference>("modifiedby").Id));

        var seller = embedded.Org.GetService(DemoUsers.Seller.Id);
        var summit = admin.RetrieveMultiple(new QueryByAttribute("account") { ColumnSet = new ColumnSet(false), Attributes = { "name" }, Values = { DemoDataSet.EnterpriseCustomerName } }).Entities.Single();
        var deal = seller.Create(new Entity("opportunity") { ["name"] = "Summit pilot (demo)", ["customerid"] = summit.ToEntityReference(), ["estimatedvalue"] = new Money(50_000m) });
        Assert.NotNull(seller.Retrieve("opportunity", deal, new ColumnSet("pg_directsalesruleid")).GetAttributeValue<EntityReference>("pg_directsalesruleid"));
        var definition = admin.RetrieveMultiple(new QueryByAttribute("environmentvariabledefinition") { ColumnSet = new ColumnSet(false), Attributes = { "schemaname" }, Values = { "pg_EnforcementMode" } }).Entities.Single();
        var refused = Assert.Throws<FaultException<OrganizationServiceFault>>(() => seller.Create(new Entity("environmentvariablevalue")
        {
            ["schemaname"] = "pg_EnforcementMode",
            ["value"] = "Audit",
            ["environmentvariabledefinitionid"] = definition.ToEntityReference(),
        }));
        Assert.Equal(unchecked((int)0x80040220), refused.Detail.ErrorCode);
    }

    private static List<string> RolesOf(IOrganizationService admin, Guid user)
    {
        var query = new QueryExpression("role") { ColumnSet = new ColumnSet("name") };
        var link = query.AddLink("systemuserroles", "roleid", "roleid");
        link.LinkCriteria.AddCondition("systemuserid", ConditionOperator.Equal, user);
        return admin.RetrieveMultiple(query).Entities.Select(r => r.GetAttributeValue<string>("name")).Order(StringComparer.Ordinal).ToList();
    }
}
