using System.Collections.Concurrent;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Security;

/// <summary>
/// The security rows of one moment (one <see cref="RowStore.WatchedVersion"/>), indexed: roles and their privileges,
/// role assignments of users and teams, team memberships and the business unit tree. Each user's
/// <see cref="PrincipalPrivileges"/> is derived from it once, on first use, and kept until a watched table changes.
/// Built and read under the org's lock (shared or exclusive), so the store does not change while it is built;
/// the per-user cache is a concurrent dictionary because parallel reads share the snapshot.
/// </summary>
internal sealed class SecuritySnapshot
{
    private readonly DataverseOrg _org;
    private readonly Dictionary<Guid, List<(string Name, PrivilegeDepth Depth)>> _rolePrivileges = new();
    private readonly Dictionary<Guid, bool> _roleInherits = new();
    private readonly Dictionary<Guid, List<Guid>> _userRoles = new();
    private readonly Dictionary<Guid, List<Guid>> _teamRoles = new();
    private readonly Dictionary<Guid, List<Guid>> _userTeams = new();
    private readonly Dictionary<Guid, List<Guid>> _childUnits = new();
    private readonly ConcurrentDictionary<Guid, PrincipalPrivileges> _users = new();
    private readonly Guid _systemAdministratorRoleId;

    public SecuritySnapshot(DataverseOrg org, long version)
    {
        _org = org;
        Version = version;
        _systemAdministratorRoleId = org.SystemAdministratorRoleId;
        var store = org.Store;
        var privilegeNames = new Dictionary<Guid, string>();
        foreach (var row in store.Rows("privilege"))
        {
            if (row.Get("name") is string name)
            {
                privilegeNames[row.Id] = name;
            }
        }

        foreach (var row in store.Rows("role"))
        {
            _roleInherits[row.Id] = row.Get("isinherited") is not int inherits || inherits != 0;
        }

        foreach (var row in store.Rows("roleprivileges"))
        {
            if (row.Get("roleid") is Guid role && row.Get("privilegeid") is Guid privilege && privilegeNames.TryGetValue(privilege, out var name))
            {
                var depth = PrivilegeDepths.FromMask(row.Get("privilegedepthmask") as int? ?? 0);
                if (depth != PrivilegeDepth.None)
                {
                    Add(_rolePrivileges, role, (name, depth));
                }
            }
        }

        foreach (var row in store.Rows("systemuserroles"))
        {
            if (row.Get("systemuserid") is Guid user && row.Get("roleid") is Guid role)
            {
                Add(_userRoles, user, role);
            }
        }

        foreach (var row in store.Rows("teamroles"))
        {
            if (row.Get("teamid") is Guid team && row.Get("roleid") is Guid role)
            {
                Add(_teamRoles, team, role);
            }
        }

        foreach (var row in store.Rows("teammembership"))
        {
            if (row.Get("systemuserid") is Guid user && row.Get("teamid") is Guid team)
            {
                Add(_userTeams, user, team);
            }
        }

        foreach (var row in store.Rows("businessunit"))
        {
            if (row.Get("parentbusinessunitid") is LookupValue parent)
            {
                Add(_childUnits, parent.Id, row.Id);
            }
        }
    }

    public long Version { get; }

    public PrincipalPrivileges For(Guid userId) => _users.GetOrAdd(userId, Build);

    private PrincipalPrivileges Build(Guid userId)
    {
        var store = _org.Store;
        var userUnit = (store.Find("systemuser", userId)?.Get("businessunitid") as LookupValue)?.Id ?? _org.RootBusinessUnitId;
        var teams = _userTeams.TryGetValue(userId, out var t) ? t : new List<Guid>();
        var userOwners = new HashSet<Guid>(teams) { userId };
        var grants = new Dictionary<string, PrivilegeGrant>(StringComparer.OrdinalIgnoreCase);
        var roles = new HashSet<Guid>();
        var isAdministrator = false;

        foreach (var role in _userRoles.TryGetValue(userId, out var direct) ? direct : new List<Guid>())
        {
            roles.Add(role);
            isAdministrator |= role == _systemAdministratorRoleId;
            foreach (var (name, depth) in PrivilegesOf(role))
            {
                Grant(grants, name, depth, userOwners, userUnit);
            }
        }

        // Owner-team roles (Microsoft Learn, "Security roles and privileges", member's privilege inheritance): a team's
        // privileges reach rows relative to the team (owned by it, its business unit, its subtree). With "Direct User
        // (Basic) access level and Team privileges" (isinherited = 1, the default) each member also holds the privilege
        // directly at Basic depth, so it can create and use rows it owns itself.
        foreach (var team in teams)
        {
            var teamRow = store.Find("team", team);
            if (teamRow is null || teamRow.Get("teamtype") is 1 || !_teamRoles.TryGetValue(team, out var teamRoles))
            {
                continue;
            }

            var teamUnit = (teamRow.Get("businessunitid") as LookupValue)?.Id ?? _org.RootBusinessUnitId;
            var teamOwners = new HashSet<Guid> { team };
            foreach (var role in teamRoles)
            {
                roles.Add(role);
                isAdministrator |= role == _systemAdministratorRoleId;
                var inherits = !_roleInherits.TryGetValue(role, out var flag) || flag;
                foreach (var (name, depth) in PrivilegesOf(role))
                {
                    Grant(grants, name, depth, teamOwners, teamUnit);
                    if (inherits)
                    {
                        Grant(grants, name, PrivilegeDepth.Basic, userOwners, userUnit);
                    }
                }
            }
        }

        return new PrincipalPrivileges(userId, userUnit, roles.Count, isAdministrator, grants);
    }

    private IEnumerable<(string Name, PrivilegeDepth Depth)> PrivilegesOf(Guid role)
        => _rolePrivileges.TryGetValue(role, out var list) ? list : Enumerable.Empty<(string, PrivilegeDepth)>();

    private void Grant(Dictionary<string, PrivilegeGrant> grants, string name, PrivilegeDepth depth, HashSet<Guid> owners, Guid unit)
    {
        if (!grants.TryGetValue(name, out var grant))
        {
            grant = new PrivilegeGrant();
            grants[name] = grant;
        }

        if (depth > grant.Depth)
        {
            grant.Depth = depth;
        }

        switch (depth)
        {
            case PrivilegeDepth.Global:
                grant.Global = true;
                break;
            case PrivilegeDepth.Deep:
                grant.Owners.UnionWith(owners);
                AddSubtree(grant.BusinessUnits, unit);
                break;
            case PrivilegeDepth.Local:
                grant.Owners.UnionWith(owners);
                grant.BusinessUnits.Add(unit);
                break;
            case PrivilegeDepth.Basic:
                grant.Owners.UnionWith(owners);
                break;
        }
    }

    private void AddSubtree(HashSet<Guid> units, Guid root)
    {
        var pending = new Stack<Guid>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var unit = pending.Pop();
            if (units.Add(unit) && _childUnits.TryGetValue(unit, out var children))
            {
                foreach (var child in children)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> index, TKey key, TValue value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = new List<TValue>();
            index[key] = list;
        }

        list.Add(value);
    }
}
