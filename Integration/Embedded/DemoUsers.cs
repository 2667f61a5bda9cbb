using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Security;

namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The people (and the job) of the embedded org, each holding exactly the roles solution/README.md tells an admin to give:
/// a seller and a channel manager (<c>PartnerGuard Seller</c> + <see cref="BasicSalesPrivileges"/>), an admin
/// (<c>PartnerGuard Administrator</c> + <see cref="BasicSalesPrivileges"/>) and the reassignment job's application user
/// (<c>PartnerGuard Reassignment Job</c> only). Their <c>domainname</c>s are stable, so
/// <c>AuthType=Emulator;Url=…;User=&lt;domainname&gt;</c> signs the console in as one of them.
/// </summary>
internal static class DemoUsers
{
    public const string SellerRole = "PartnerGuard Seller";
    public const string AdministratorRole = "PartnerGuard Administrator";
    public const string JobRole = "PartnerGuard Reassignment Job";

    /// <summary>A demo user: who, how the console names it, its roles, and for an application user its application id.</summary>
    internal sealed record DemoUser(Guid Id, string FullName, string DomainName, string[] Roles, Guid? ApplicationId = null);

    /// <summary>The seller: also the first of the demo sellers who own the open deals (see <see cref="DemoDataSet"/>).</summary>
    public static DemoUser Seller { get; } = new(Guid.Parse("5e11e700-0000-4000-8000-000000000001"), DemoCatalog.Sellers[0] + " " + DemoDataSet.Label,
        DomainNameOf(DemoCatalog.Sellers[0]), [SellerRole, BasicSalesPrivileges.RoleName]);

    public static DemoUser ChannelManager { get; } = new(Guid.Parse("5e11e700-0000-4000-8000-000000000002"), "Morgan Lee " + DemoDataSet.Label,
        "channel.manager@partnerguard.demo", [SellerRole, BasicSalesPrivileges.RoleName]);

    public static DemoUser Admin { get; } = new(Guid.Parse("5e11e700-0000-4000-8000-000000000003"), "Alex Admin " + DemoDataSet.Label,
        "admin@partnerguard.demo", [AdministratorRole, BasicSalesPrivileges.RoleName]);

    /// <summary>The application user the scheduled <c>distribute</c> job signs in as (Dataverse sets applicationid on such users).</summary>
    public static DemoUser ReassignmentJob { get; } = new(Guid.Parse("5e11e700-0000-4000-8000-000000000004"), "PartnerGuard reassignment job " + DemoDataSet.Label,
        "reassignment.job@partnerguard.demo", [JobRole], ApplicationId: Guid.Parse("5e11e700-0000-4000-8000-00000000a990"));

    /// <summary>Every demo user the console can sign in as, in the order Integration/README.md lists them.</summary>
    public static IReadOnlyList<DemoUser> All { get; } = [Seller, ChannelManager, Admin, ReassignmentJob];

    /// <summary>The domain name of a demo seller ("Sam Seller" → sam.seller@partnerguard.demo).</summary>
    public static string DomainNameOf(string fullName) =>
        string.Join('.', fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant() + "@partnerguard.demo";

    /// <summary>
    /// Adds the emulated basic sales role and the demo users (not the other demo sellers: <see cref="AddSeller"/>) to an
    /// org that has the PartnerGuard solution (its roles) loaded.
    /// </summary>
    public static void AddTo(DataverseOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        AddBasicSalesRole(org);
        foreach (var user in All)
        {
            var row = new Entity("systemuser", user.Id)
            {
                ["fullname"] = user.FullName,
                ["domainname"] = user.DomainName,
                ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
                ["isdisabled"] = false,
            };
            if (user.ApplicationId is { } application)
            {
                row["applicationid"] = application;
            }

            org.Seed(row);
            GiveRoles(org, user.Id, user.Roles);
        }
    }

    /// <summary>Adds a demo seller with the seller's roles and returns its id.</summary>
    public static Guid AddSeller(DataverseOrg org, string fullName, Guid id)
    {
        ArgumentNullException.ThrowIfNull(org);
        org.Seed(new Entity("systemuser", id)
        {
            ["fullname"] = fullName + " " + DemoDataSet.Label,
            ["domainname"] = DomainNameOf(fullName),
            ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
            ["isdisabled"] = false,
        });
        GiveRoles(org, id, Seller.Roles);
        return id;
    }

    /// <summary>Gives roles to a user the way an admin does: Associate on systemuserroles_association.</summary>
    public static void GiveRoles(DataverseOrg org, Guid userId, IEnumerable<string> roleNames)
    {
        var admin = org.GetService();
        var roles = new EntityReferenceCollection();
        roles.AddRange(roleNames.Select(name => new EntityReference("role", RoleId(admin, name))));
        admin.Associate("systemuser", userId, new Relationship("systemuserroles_association"), roles);
    }

    /// <summary>The id of the role of that name (the solution's roles keep the ids of their XML).</summary>
    public static Guid RoleId(IOrganizationService service, string name)
    {
        var query = new QueryExpression("role") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("name", ConditionOperator.Equal, name);
        var found = service.RetrieveMultiple(query).Entities;
        return found.Count == 1 ? found[0].Id : throw new InvalidOperationException($"The org has {found.Count} roles named '{name}'; expected one.");
    }

    /// <summary>
    /// Adds the role holding <see cref="BasicSalesPrivileges.All"/> (in Dataverse it is one of its own sales roles; the
    /// emulator has none) and returns its id: a <c>role</c> row and a <c>roleprivileges</c> row per privilege, with the
    /// depth as Dataverse's <c>privilegedepthmask</c> stores it.
    /// </summary>
    public static Guid AddBasicSalesRole(DataverseOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        var admin = org.GetService();
        var role = org.Seed(new Entity("role")
        {
            ["name"] = BasicSalesPrivileges.RoleName,
            ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
        });
        foreach (var (name, depth) in BasicSalesPrivileges.All)
        {
            // One privilege row per name, with the id the emulator gives that name (the solution's roles share it).
            var privilege = Privileges.IdOf(name);
            if (admin.RetrieveMultiple(new QueryByAttribute("privilege") { ColumnSet = new ColumnSet(false), Attributes = { "privilegeid" }, Values = { privilege } }).Entities.Count == 0)
            {
                org.Seed(new Entity("privilege", privilege) { ["name"] = name });
            }

            org.Seed(new Entity("roleprivileges")
            {
                ["roleid"] = role,
                ["privilegeid"] = privilege,
                ["privilegedepthmask"] = DepthMask(depth),
            });
        }

        return role;
    }

    private static int DepthMask(string depth) =>
        PrivilegeDepths.Parse(depth) is { } parsed ? PrivilegeDepths.ToMask(parsed) : throw new ArgumentOutOfRangeException(nameof(depth), depth, "A depth is Basic, Local, Deep or Global.");
}
