using System.Xml.Linq;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Security;

/// <summary>
/// Issue #17 item 3b: every privilege of every PartnerGuard role is needed. One case per privilege, enumerated from
/// solution/src/Roles/*.xml: the org is built from a copy of the solution whose role lacks that privilege, and the one
/// command or screen action that needs it (<see cref="NeededBy"/>) is then refused, naming the privilege. A privilege
/// added to a role without a case here fails <see cref="Privilege_WithoutIt_TheActionThatNeedsItIsRefused"/>.
/// </summary>
public sealed class RoleMinimalityTests
{
    /// <summary>Role → privilege → the scenario (<see cref="RoleScenarios.All"/>) that needs it. solution/README.md gives the same reasons.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> NeededBy = new(StringComparer.Ordinal)
    {
        ["PartnerGuard Seller"] = new(StringComparer.Ordinal)
        {
            ["prvReadpg_DirectSalesRule"] = "seller: screen: the Rules and Runs areas",
            ["prvAppendTopg_DirectSalesRule"] = "seller: create and update a deal",
            ["prvReadpg_ReassignmentRun"] = "seller: screen: the Rules and Runs areas",
        },
        ["PartnerGuard Reassignment Job"] = new(StringComparer.Ordinal)
        {
            ["prvReadAccount"] = "job: plan",
            ["prvReadpg_DirectSalesRule"] = "job: plan",
            ["prvReadEnvironmentVariableDefinition"] = "job: plan",
            ["prvReadEnvironmentVariableValue"] = "job: plan",
            ["prvWriteAccount"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvAppendAccount"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvAppendToAccount"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvAssignAccount"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvReadOpportunity"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvWriteOpportunity"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvAppendOpportunity"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvCreatepg_ReassignmentRun"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvWritepg_ReassignmentRun"] = "job: apply --assign-owner --attach-open-opportunities",
            ["prvReadpg_ReassignmentRun"] = "job: statement",
            ["prvReadContact"] = "job: audit",
        },
        ["PartnerGuard Administrator"] = new(StringComparer.Ordinal)
        {
            ["prvReadpg_DirectSalesRule"] = "admin: rules import --delete-missing",
            ["prvCreatepg_DirectSalesRule"] = "admin: rules import --delete-missing",
            ["prvWritepg_DirectSalesRule"] = "admin: rules import --delete-missing",
            ["prvDeletepg_DirectSalesRule"] = "admin: rules import --delete-missing",
            ["prvAppendpg_DirectSalesRule"] = "admin: rules import --delete-missing",
            ["prvAppendToAccount"] = "admin: rules import --delete-missing",
            ["prvReadAccount"] = "admin: rules import --delete-missing",
            ["prvReadEnvironmentVariableDefinition"] = "admin: rules publish",
            ["prvReadEnvironmentVariableValue"] = "admin: rules publish",
            ["prvCreateEnvironmentVariableValue"] = "admin: screen: set the enforcement mode",
            ["prvWriteEnvironmentVariableValue"] = "admin: screen: set the enforcement mode",
            ["prvAppendEnvironmentVariableValue"] = "admin: screen: set the enforcement mode",
            ["prvAppendToEnvironmentVariableDefinition"] = "admin: screen: set the enforcement mode",
            ["prvReadOpportunity"] = "admin: screen: the Channel health dashboard's deals",
            ["prvReadpg_ReassignmentRun"] = "admin: screen: open and delete a reassignment run",
            ["prvDeletepg_ReassignmentRun"] = "admin: screen: open and delete a reassignment run",
        },
    };

    /// <summary>Basic sales privilege (<see cref="PartnerGuard.Integration.Embedded.BasicSalesPrivileges"/>) → the seller's action that needs it.</summary>
    private static readonly Dictionary<string, string> SalesNeededBy = new(StringComparer.Ordinal)
    {
        ["prvCreateOpportunity"] = "seller: create and update a deal",
        ["prvReadOpportunity"] = "seller: create and update a deal",
        ["prvWriteOpportunity"] = "seller: create and update a deal",
        ["prvAppendOpportunity"] = "seller: create and update a deal",
        ["prvReadAccount"] = "seller: create and update a deal",
        ["prvAppendToAccount"] = "seller: create and update a deal",
        ["prvReadContact"] = "seller: create a deal for a contact",
        ["prvAppendToContact"] = "seller: create a deal for a contact",
        ["prvReadTransactionCurrency"] = "seller: screen: pick the deal's currency",
    };

    public static TheoryData<string> SalesPrivileges() => new(PartnerGuard.Integration.Embedded.BasicSalesPrivileges.All.Select(p => p.Privilege));

    /// <summary>The basic sales privileges are minimal too: each is removed from the seller's sales role in turn.</summary>
    [Theory]
    [MemberData(nameof(SalesPrivileges))]
    public async Task SalesPrivilege_WithoutIt_TheSellersActionThatNeedsItIsRefused(string privilege)
    {
        var scenario = SalesNeededBy.GetValueOrDefault(privilege);
        Assert.True(scenario is not null, $"No case shows what a seller needs {privilege} for: add the action, or remove it from BasicSalesPrivileges.");
        using var org = RoleOrg.WithoutSalesPrivilege(privilege);

        var result = await RoleScenarios.All[scenario](org);

        Assert.False(result.Succeeded, $"'{scenario}' went through without {privilege}.{Environment.NewLine}{result.Detail}");
        Assert.True(RoleChecks.NamesRefusalOf(result.Detail, privilege), $"'{scenario}' failed, but not for lack of {privilege}:{Environment.NewLine}{result.Detail}");
    }

    /// <summary>Every privilege of every role, read from the committed role XML.</summary>
    public static TheoryData<string, string> Privileges()
    {
        var data = new TheoryData<string, string>();
        foreach (var (role, privilege) in RolePrivileges())
        {
            data.Add(role, privilege);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Privileges))]
    public async Task Privilege_WithoutIt_TheActionThatNeedsItIsRefused(string role, string privilege)
    {
        var scenario = NeededBy.GetValueOrDefault(role)?.GetValueOrDefault(privilege);
        Assert.True(scenario is not null,
            $"No case shows what needs {privilege} in '{role}': add the command or screen action that needs it, or remove the privilege from the role.");
        using var org = RoleOrg.Without(role, privilege);

        var result = await RoleScenarios.All[scenario](org);

        Assert.False(result.Succeeded, $"'{scenario}' went through without {privilege} in '{role}'.{Environment.NewLine}{result.Detail}");
        Assert.True(RoleChecks.NamesRefusalOf(result.Detail, privilege), $"'{scenario}' failed, but not for lack of {privilege}:{Environment.NewLine}{result.Detail}");
    }

    [Fact]
    public void EveryCase_NamesAPrivilegeTheRoleHolds()
    {
        var held = RolePrivileges().ToHashSet();

        var stale = NeededBy.SelectMany(r => r.Value.Keys.Select(p => (Role: r.Key, Privilege: p))).Where(c => !held.Contains(c)).ToList();

        Assert.Empty(stale);
        Assert.All(NeededBy.SelectMany(r => r.Value.Values), s => Assert.Contains(s, RoleScenarios.All.Keys));
    }

    private static IEnumerable<(string Role, string Privilege)> RolePrivileges() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.SolutionSource, "Roles"), "*.xml").Order(StringComparer.Ordinal)
            .Select(XDocument.Load)
            .SelectMany(d => d.Descendants("RolePrivilege").Select(p => ((string)d.Root!.Attribute("name")!, (string)p.Attribute("name")!)));
}
