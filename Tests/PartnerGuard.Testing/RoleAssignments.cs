using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Security;

namespace PartnerGuard.Testing;

/// <summary>
/// Security roles for tests, written the way an administrator does it: role, privilege and roleprivileges rows through
/// the administrator's service, and Associate on systemuserroles_association / teamroles_association.
/// </summary>
public static class RoleAssignments
{
    /// <summary>Creates a role in the root business unit (or the one given) with the privileges at the depths given.</summary>
    public static Guid Define(DataverseOrg org, string name, IEnumerable<(string Privilege, PrivilegeDepth Depth)> privileges, bool inherits = true, Guid? businessUnitId = null)
    {
        var admin = org.GetService();
        var roleId = admin.Create(new Entity("role")
        {
            ["name"] = name,
            ["businessunitid"] = new EntityReference("businessunit", businessUnitId ?? org.RootBusinessUnitId),
            ["isinherited"] = new OptionSetValue(inherits ? 1 : 0),
        });
        foreach (var (privilege, depth) in privileges)
        {
            var privilegeId = Privileges.IdOf(privilege);
            if (admin.RetrieveMultiple(new Microsoft.Xrm.Sdk.Query.QueryByAttribute("privilege") { Attributes = { "privilegeid" }, Values = { privilegeId } }).Entities.Count == 0)
            {
                admin.Create(new Entity("privilege", privilegeId) { ["name"] = privilege });
            }

            admin.Create(new Entity("roleprivileges") { ["roleid"] = roleId, ["privilegeid"] = privilegeId, ["privilegedepthmask"] = PrivilegeDepths.ToMask(depth) });
        }

        return roleId;
    }

    public static Guid Define(DataverseOrg org, string name, params (string Privilege, PrivilegeDepth Depth)[] privileges)
        => Define(org, name, privileges, inherits: true);

    /// <summary>Gives a user a role (Associate on systemuserroles_association, as the administrator).</summary>
    public static void Give(DataverseOrg org, Guid userId, Guid roleId)
        => org.GetService().Associate("systemuser", userId, new Relationship("systemuserroles_association"), new EntityReferenceCollection { new EntityReference("role", roleId) });

    /// <summary>Gives a team a role (Associate on teamroles_association, as the administrator).</summary>
    public static void GiveTeam(DataverseOrg org, Guid teamId, Guid roleId)
        => org.GetService().Associate("team", teamId, new Relationship("teamroles_association"), new EntityReferenceCollection { new EntityReference("role", roleId) });

    /// <summary>A user holding System Administrator, for tests about something other than security that run as a named user.</summary>
    public static Guid CreateAdministrator(DataverseOrg org, string fullName, Guid? businessUnitId = null, Guid? id = null)
    {
        var user = org.CreateUser(fullName, businessUnitId, id);
        Give(org, user, org.SystemAdministratorRoleId);
        return user;
    }
}
