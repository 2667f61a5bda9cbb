using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Embedded;

namespace PartnerGuard.Integration.Tests.Security;

/// <summary>
/// Issue #17 item 3a: the PartnerGuard roles are enough. The job's application user, holding only the Reassignment Job
/// role, runs every command of the job end to end; a user holding only the Administrator role imports and publishes
/// rules; a seller holding the Seller role and <see cref="BasicSalesPrivileges"/> creates and updates deals (the plug-in
/// runs as the seller and records its decision), reads rules and checks the channel, and is refused what is not theirs.
/// </summary>
public sealed class RoleSufficiencyTests
{
    public static TheoryData<string> Scenarios() => new(RoleScenarios.All.Keys);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_WithTheCommittedRoles_GoesThrough(string scenario)
    {
        using var org = RoleOrg.Create();

        var result = await RoleScenarios.All[scenario](org);

        Assert.True(result.Succeeded, result.Detail);
    }

    [Fact]
    public async Task JobUser_AppliesAWaveAndRecordsTheRunAsItself()
    {
        using var org = RoleOrg.Create();

        var plan = await org.RunAsync("job", "plan", "--strategy", "territory", "--run-id", "w1");
        var apply = await org.RunAsync("job", "apply", "--plan", "w1.csv", "--yes", "--assign-owner", "--attach-open-opportunities", "--output", "w1");

        Assert.True(plan.Succeeded, plan.All);
        Assert.True(apply.Succeeded, apply.All);
        var alpha = org.Org.GetService().Retrieve("account", RoleOrg.Alpha, new ColumnSet("pg_assignedpartnerid", "ownerid", "modifiedby"));
        Assert.Equal(RoleOrg.Northwind, alpha.GetAttributeValue<EntityReference>("pg_assignedpartnerid").Id);
        Assert.Equal(RoleOrg.NorthwindTeam, alpha.GetAttributeValue<EntityReference>("ownerid").Id);
        Assert.Equal(RoleOrg.JobUser, alpha.GetAttributeValue<EntityReference>("modifiedby").Id);
        var deal = org.Org.GetService().Retrieve("opportunity", RoleOrg.AlphaDeal, new ColumnSet("pg_partnerid"));
        Assert.Equal(RoleOrg.Northwind, deal.GetAttributeValue<EntityReference>("pg_partnerid")?.Id);
        var run = Assert.Single(org.Org.GetService().RetrieveMultiple(new QueryExpression("pg_reassignmentrun") { ColumnSet = new ColumnSet("pg_name", "createdby", "pg_applied") }).Entities);
        Assert.Equal("w1", run.GetAttributeValue<string>("pg_name"));
        Assert.Equal(RoleOrg.JobUser, run.GetAttributeValue<EntityReference>("createdby").Id);
    }

    [Fact]
    public async Task Seller_CreatesADeal_ThePluginRunsAsTheSellerAndRecordsTheDecision()
    {
        using var org = RoleOrg.Create();
        var seller = org.As(RoleOrg.Seller);

        var id = seller.Create(new Entity("opportunity") { ["name"] = "Gamma pilot", ["customerid"] = new EntityReference("account", RoleOrg.Gamma), ["estimatedvalue"] = new Money(20_000m) });

        var deal = seller.Retrieve("opportunity", id, new ColumnSet("pg_channel", "pg_channelreason", "pg_directsalesruleid", "createdby"));
        Assert.Equal(RoleOrg.Seller, deal.GetAttributeValue<EntityReference>("createdby").Id);
        Assert.Equal(RoleOrg.EnterpriseRule, deal.GetAttributeValue<EntityReference>("pg_directsalesruleid")?.Id);
        Assert.Contains("Enterprise", deal.GetAttributeValue<string>("pg_channelreason"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> SellerRefusals() => new()
    {
        { "write a rule", "prvWritepg_DirectSalesRule" },
        { "create a rule", "prvCreatepg_DirectSalesRule" },
        { "set an environment variable", "prvCreateEnvironmentVariableValue" },
        { "change an environment variable's default", "prvWriteEnvironmentVariableDefinition" },
        { "create a reassignment run", "prvCreatepg_ReassignmentRun" },
        { "write a reassignment run", "prvWritepg_ReassignmentRun" },
    };

    [Theory]
    [MemberData(nameof(SellerRefusals))]
    public void Seller_CannotWriteRulesSettingsOrRuns(string what, string privilege)
    {
        using var org = RoleOrg.Create();
        var system = org.Org.GetService();
        var seller = org.As(RoleOrg.Seller);
        var definition = system.RetrieveMultiple(new QueryByAttribute("environmentvariabledefinition") { ColumnSet = new ColumnSet("schemaname"), Attributes = { "schemaname" }, Values = { "pg_EnforcementMode" } }).Entities.Single();
        var run = system.Create(new Entity("pg_reassignmentrun") { ["pg_name"] = "r0" });
        Action attempt = what switch
        {
            "write a rule" => () => seller.Update(new Entity("pg_directsalesrule", RoleOrg.EnterpriseRule) { ["pg_threshold"] = 1m }),
            "create a rule" => () => seller.Create(new Entity("pg_directsalesrule") { ["pg_name"] = "Mine", ["pg_kind"] = new OptionSetValue(723100002), ["pg_countries"] = "FR", ["pg_priority"] = 1 }),
            "set an environment variable" => () => seller.Create(new Entity("environmentvariablevalue") { ["schemaname"] = "pg_EnforcementMode", ["value"] = "Audit", ["environmentvariabledefinitionid"] = definition.ToEntityReference() }),
            "change an environment variable's default" => () => seller.Update(new Entity("environmentvariabledefinition", definition.Id) { ["defaultvalue"] = "Audit" }),
            "create a reassignment run" => () => seller.Create(new Entity("pg_reassignmentrun") { ["pg_name"] = "mine" }),
            "write a reassignment run" => () => seller.Update(new Entity("pg_reassignmentrun", run) { ["pg_name"] = "renamed" }),
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };

        var fault = Assert.Throws<FaultException<OrganizationServiceFault>>(attempt);

        Assert.Equal(unchecked((int)0x80040220), fault.Detail.ErrorCode);
        Assert.Contains(privilege, fault.Detail.Message, StringComparison.OrdinalIgnoreCase);
    }
}
