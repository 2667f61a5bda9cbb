using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Security;

/// <summary>
/// An org with a business unit tree for security tests: Root ⊃ Sales ⊃ Sales West, and Root ⊃ Service. Each unit has a
/// user; each user owns one account named after it (seeded as the administrator with the owner set).
/// </summary>
internal sealed class SecurityWorld
{
    public SecurityWorld(DataverseOrgOptions? options = null)
    {
        Org = DataverseOrg.Create(options);
        Sales = Unit("Sales", Org.RootBusinessUnitId);
        West = Unit("Sales West", Sales);
        Service = Unit("Service", Org.RootBusinessUnitId);
        RootUser = Org.CreateUser("Rita Root");
        SalesUser = Org.CreateUser("Sam Sales", Sales);
        SalesColleague = Org.CreateUser("Sue Sales", Sales);
        WestUser = Org.CreateUser("Wes West", West);
        ServiceUser = Org.CreateUser("Stan Service", Service);
        foreach (var (user, name) in Users)
        {
            Org.Seed(new Entity("account") { ["name"] = name, ["ownerid"] = new EntityReference("systemuser", user) });
        }
    }

    public DataverseOrg Org { get; }

    public Guid Sales { get; }

    public Guid West { get; }

    public Guid Service { get; }

    public Guid RootUser { get; }

    public Guid SalesUser { get; }

    public Guid SalesColleague { get; }

    public Guid WestUser { get; }

    public Guid ServiceUser { get; }

    public IEnumerable<(Guid User, string Account)> Users =>
    [
        (RootUser, "Root's"), (SalesUser, "Sales's"), (SalesColleague, "Colleague's"), (WestUser, "West's"), (ServiceUser, "Service's"),
    ];

    public Guid Unit(string name, Guid parent)
        => Org.Seed(new Entity("businessunit") { ["name"] = name, ["parentbusinessunitid"] = new EntityReference("businessunit", parent) });

    /// <summary>Gives the user a new role with the privileges (names and depths) and returns the role.</summary>
    public Guid Grant(Guid user, params (string Privilege, PrivilegeDepth Depth)[] privileges)
    {
        var role = RoleAssignments.Define(Org, "Role " + Guid.NewGuid().ToString("N")[..6], privileges);
        RoleAssignments.Give(Org, user, role);
        return role;
    }

    public Guid AccountOf(Guid user) => Org.GetService().RetrieveMultiple(new QueryExpression("account")
    {
        Criteria = { Conditions = { new ConditionExpression("ownerid", ConditionOperator.Equal, user) } },
    }).Entities.Single().Id;

    /// <summary>The names of the accounts the user's RetrieveMultiple returns, sorted.</summary>
    public string VisibleAccounts(Guid user)
        => string.Join(", ", Org.GetService(user).RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") })
            .Entities.Select(e => (string)e["name"]).Order(StringComparer.Ordinal));
}
