using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Security;

/// <summary>
/// The solution's <c>Roles/*.xml</c> become role rows with their privileges; the role XML is the one source of a role's
/// privileges, so a role is proven to need a privilege by loading a copy of solution/src whose XML lacks it.
/// Roles and their assignments are rows, so they survive Save/Load.
/// </summary>
public sealed class SolutionRoleTests
{
    private const string SellerRoleFile = "PartnerGuard Seller.xml";

    [Fact]
    public void LoadSolution_LoadsEachRoleWithTheIdNameAndPrivilegesOfItsXml()
    {
        var org = DataverseOrg.Create();
        var loaded = org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);

        var roles = org.GetService().RetrieveMultiple(new QueryExpression("role") { ColumnSet = new ColumnSet("name") }).Entities;
        Assert.Equal(new[] { "PartnerGuard Administrator", "PartnerGuard Reassignment Job", "PartnerGuard Seller", "System Administrator" },
            roles.Select(r => (string)r["name"]).Order(StringComparer.Ordinal));
        Assert.Equal(3, loaded.Roles.Count);
        Assert.Contains(new Guid("f6caced5-3385-5df9-a988-d1be0c394c3c"), loaded.Roles);

        var seller = Seller(org, "PartnerGuard Seller");
        var rule = org.GetService().Create(new Entity("pg_directsalesrule") { ["pg_name"] = "Enterprise" });
        Assert.Equal("Enterprise", org.GetService(seller).Retrieve("pg_directsalesrule", rule, new ColumnSet("pg_name"))["pg_name"]);
        var fault = Faults.Expect(OrgErrorCodes.PrivilegeDenied, () => org.GetService(seller).Create(new Entity("pg_directsalesrule") { ["pg_name"] = "Mine" }));
        Assert.Contains("is missing prvCreatepg_DirectSalesRule privilege", fault.Message, StringComparison.Ordinal);
    }

    // The proof that a role needs a privilege: the same org from a copy of solution/src whose role XML lacks it.
    [Fact]
    public void RoleXmlWithoutAPrivilege_RefusesWhatTheFullRoleAllows()
    {
        using var temp = new TempDirectory();
        var copy = CopySolution(temp.File("src"));
        var roleFile = Path.Combine(copy, "Roles", SellerRoleFile);
        var lines = File.ReadAllLines(roleFile);
        File.WriteAllLines(roleFile, lines.Where(l => !l.Contains("\"prvReadpg_DirectSalesRule\"", StringComparison.Ordinal)));
        Assert.Equal(lines.Length - 1, File.ReadAllLines(roleFile).Length);

        var full = DataverseOrg.Create();
        full.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);
        var lacking = DataverseOrg.Create();
        lacking.LoadSolution(copy, registerSteps: false);

        var query = new QueryExpression("pg_directsalesrule");
        Assert.Empty(full.GetService(Seller(full, "PartnerGuard Seller")).RetrieveMultiple(query).Entities);
        var fault = Faults.Expect(OrgErrorCodes.PrivilegeDenied, () => lacking.GetService(Seller(lacking, "PartnerGuard Seller")).RetrieveMultiple(query));
        Assert.Contains("is missing prvReadpg_DirectSalesRule privilege", fault.Message, StringComparison.Ordinal);
    }

    // A Custom API whose definition names an execute privilege runs only for callers holding it ("Secure your custom
    // API with a privilege"); the solution's pg_CheckChannel names none, so a copy names one.
    [Fact]
    public void CustomApi_WithAnExecutePrivilege_RunsOnlyForItsHolders()
    {
        using var temp = new TempDirectory();
        var copy = CopySolution(temp.File("src"));
        var definition = Path.Combine(copy, "customapis", "pg_CheckChannel", "customapi.xml");
        File.WriteAllText(definition, File.ReadAllText(definition).Replace("<executeprivilegename />", "<executeprivilegename>prvReadpg_DirectSalesRule</executeprivilegename>", StringComparison.Ordinal));
        var org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = PluginTypeResolver.FromAssemblies(typeof(global::PartnerGuard.Plugins.CheckChannel).Assembly) });
        org.LoadSolution(copy, registerSteps: false);
        var customer = org.Seed(new Entity("account") { ["name"] = "Contoso" });
        var request = new OrganizationRequest("pg_CheckChannel") { ["Customer"] = new EntityReference("account", customer) };

        var nobody = org.CreateUser("No roles");
        var fault = Faults.Expect(OrgErrorCodes.PrivilegeDenied, () => org.GetService(nobody).Execute(request));
        Assert.Contains("is missing prvReadpg_DirectSalesRule privilege", fault.Message, StringComparison.Ordinal);

        Assert.Equal("pg_CheckChannel", org.GetService(Seller(org, "PartnerGuard Seller")).Execute(request).ResponseName);
    }

    [Fact]
    public void RolesAndAssignments_SurviveSaveAndLoad()
    {
        using var temp = new TempDirectory();
        var world = new SecurityWorld();
        var team = world.Org.CreateTeam("Readers", world.ServiceUser);
        world.Grant(world.SalesUser, ("prvReadAccount", PrivilegeDepth.Local));
        RoleAssignments.GiveTeam(world.Org, team, RoleAssignments.Define(world.Org, "Team readers", ("prvReadAccount", PrivilegeDepth.Global)));
        world.Org.Save(temp.File("org.json"));

        var loaded = DataverseOrg.Load(temp.File("org.json"));

        Assert.Equal(world.Org.SystemAdministratorRoleId, loaded.SystemAdministratorRoleId);
        Assert.Equal(2, loaded.GetService(world.SalesUser).RetrieveMultiple(new QueryExpression("account")).Entities.Count);
        Assert.Equal(5, loaded.GetService(world.ServiceUser).RetrieveMultiple(new QueryExpression("account")).Entities.Count);
        Assert.Equal(5, loaded.GetService().RetrieveMultiple(new QueryExpression("account")).Entities.Count);
        Faults.Expect(OrgErrorCodes.PrivilegeDenied, () => loaded.GetService(world.WestUser).RetrieveMultiple(new QueryExpression("account")));
    }

    private static Guid Seller(DataverseOrg org, string roleName)
    {
        var role = org.GetService().RetrieveMultiple(new QueryByAttribute("role") { Attributes = { "name" }, Values = { roleName } }).Entities.Single().Id;
        var user = org.CreateUser("Holder of " + roleName);
        RoleAssignments.Give(org, user, role);
        return user;
    }

    private static string CopySolution(string target)
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.SolutionSource, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(RepoPaths.SolutionSource, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
