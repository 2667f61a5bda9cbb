using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Security;
using PartnerGuard.SolutionModel;

namespace PartnerGuard.Emulator.Solution;

/// <summary>
/// A solution's <c>Roles/*.xml</c> as rows: one <c>role</c> row with the id and name the XML gives (in the root business
/// unit, <c>isinherited</c> from <c>IsInherited</c>), a <c>privilege</c> row per privilege name it names (created once),
/// and a <c>roleprivileges</c> row per <c>RolePrivilege</c> with its level as depth mask. Loading the solution again
/// replaces a role's privileges with the XML's, so the XML stays the one source of a role's privileges.
/// </summary>
internal static class SolutionRoles
{
    /// <summary>Loads the roles; called with the write lock held. Returns the role ids.</summary>
    public static IReadOnlyList<Guid> Load(DataverseOrg org, IEnumerable<SourceDocument> roles, Func<SourceDocument, string> fullPath)
    {
        var ids = new List<Guid>();
        foreach (var document in roles)
        {
            var root = document.Root;
            var file = fullPath(document);
            if (!Guid.TryParse(root.Attribute("id")?.Value, out var roleId))
            {
                throw new InvalidDataException($"{file}: the Role element has no valid id attribute.");
            }

            var name = root.Attribute("name")?.Value ?? throw new InvalidDataException($"{file}: the Role element has no name attribute.");
            var inherits = root.Element("IsInherited")?.Value.Trim() != "0";
            var privileges = new List<(string Name, PrivilegeDepth Depth)>();
            foreach (var element in root.Element("RolePrivileges")?.Elements("RolePrivilege") ?? [])
            {
                var privilege = element.Attribute("name")?.Value;
                var depth = PrivilegeDepths.Parse(element.Attribute("level")?.Value);
                if (string.IsNullOrWhiteSpace(privilege) || depth is null)
                {
                    throw new InvalidDataException($"{file}: a RolePrivilege needs a name and a level of Basic, Local, Deep or Global (found name '{privilege}', level '{element.Attribute("level")?.Value}').");
                }

                privileges.Add((privilege, depth.Value));
            }

            if (org.Store.Find("role", roleId) is null)
            {
                org.Seed(new Entity("role", roleId)
                {
                    ["name"] = name,
                    ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
                    ["isinherited"] = new OptionSetValue(inherits ? 1 : 0),
                });
            }
            else
            {
                foreach (var old in org.Store.Rows("roleprivileges").Where(r => Equals(r.Get("roleid"), roleId)).ToList())
                {
                    org.Store.Remove("roleprivileges", old.Id);
                }
            }

            foreach (var (privilege, depth) in privileges)
            {
                var privilegeId = Privileges.IdOf(privilege);
                if (org.Store.Find("privilege", privilegeId) is null)
                {
                    org.Seed(new Entity("privilege", privilegeId) { ["name"] = privilege });
                }

                org.Seed(new Entity("roleprivileges")
                {
                    ["roleid"] = roleId,
                    ["privilegeid"] = privilegeId,
                    ["privilegedepthmask"] = PrivilegeDepths.ToMask(depth),
                });
            }

            ids.Add(roleId);
        }

        return ids;
    }
}
