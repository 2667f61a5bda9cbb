using System.Globalization;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Security;

/// <summary>
/// The org's security checks: the message handlers and row writes ask it before they act (see Emulator/README.md,
/// "Security"). A privilege the caller's roles do not give at all is a PrivilegeDenied fault (0x80040220); a privilege
/// held at a depth that does not reach the row is the access-check fault (0x80048306). Callers running as SYSTEM
/// (plug-ins' <c>CreateOrganizationService(null)</c>, seeding) and every caller when
/// <see cref="DataverseOrgOptions.EnforceSecurity"/> is off pass every check.
/// </summary>
/// <remarks>
/// Cost: each user's privileges are derived once from the security rows and cached (<see cref="SecuritySnapshot"/>);
/// the cache is dropped when a role, role privilege, role assignment, team membership, user, team or business unit row
/// changes (<see cref="RowStore.WatchedVersion"/>). A check is then a dictionary lookup and at most two hash lookups.
/// </remarks>
internal sealed class SecurityModel
{
    private readonly DataverseOrg _org;
    private readonly object _sync = new();
    private SecuritySnapshot? _snapshot;

    public SecurityModel(DataverseOrg org)
    {
        _org = org;
        org.Store.Watch(SecurityTables.Watched);
    }

    private bool Enforced(CallerContext caller) => _org.Options.EnforceSecurity && !caller.IsSystem;

    /// <summary>The user's privileges as of now (cached until a watched table changes).</summary>
    public PrincipalPrivileges PrivilegesOf(Guid userId)
    {
        var version = _org.Store.WatchedVersion;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || snapshot.Version != version)
        {
            lock (_sync)
            {
                snapshot = _snapshot;
                if (snapshot is null || snapshot.Version != version)
                {
                    snapshot = new SecuritySnapshot(_org, version);
                    Volatile.Write(ref _snapshot, snapshot);
                }
            }
        }

        return snapshot.For(userId);
    }

    /// <summary>True when the user holds the (misc or table) privilege at any depth, or security is off.</summary>
    public bool Holds(Guid userId, string privilegeName)
    {
        if (!_org.Options.EnforceSecurity)
        {
            return true;
        }

        var privileges = PrivilegesOf(userId);
        return privileges.IsSystemAdministrator || privileges.Find(privilegeName) is not null;
    }

    /// <summary>Refuses a caller that does not hold a misc privilege (prvBypassCustomPlugins, prvActOnBehalfOfAnotherUser, a Custom API's execute privilege).</summary>
    public void DemandPrivilege(CallerContext caller, string privilegeName)
    {
        if (Enforced(caller) && !Holds(caller.UserId, privilegeName))
        {
            throw Missing(PrivilegesOf(caller.UserId), caller.InitiatingUserId, privilegeName, table: null);
        }
    }

    /// <summary>Refuses an access to a row (its stored or intended values) the caller's privilege does not reach.</summary>
    public void Demand(CallerContext caller, PrivilegeAccess access, TableMetadata table, Guid rowId, IReadOnlyDictionary<string, object>? values)
    {
        if (!Enforced(caller))
        {
            return;
        }

        var privileges = PrivilegesOf(caller.UserId);
        if (privileges.IsSystemAdministrator)
        {
            return;
        }

        var name = Privileges.NameOf(access, table);
        var grant = privileges.Find(name) ?? throw Missing(privileges, caller.InitiatingUserId, name, table);
        if (!table.IsUserOwned)
        {
            return;
        }

        var owner = values?.GetValueOrDefault("ownerid") as LookupValue;
        var unit = values?.GetValueOrDefault("owningbusinessunit") as LookupValue;
        if (!grant.Allows(owner?.Id, unit?.Id))
        {
            throw NoAccess(privileges, caller.InitiatingUserId, access, name, grant.Depth, table, rowId);
        }
    }

    /// <summary>
    /// Append on the row and AppendTo on each row its lookups now point at (Microsoft Learn, "Security concepts":
    /// Append = associate this record with another, Append To = let others be associated with it). Owner, business
    /// unit, audit and currency lookups are not checked (ownership is Assign's privilege; the others are set by the platform).
    /// </summary>
    public void DemandLookups(CallerContext caller, TableMetadata table, Guid rowId, IReadOnlyDictionary<string, object> values, IEnumerable<string> changedColumns)
    {
        if (!Enforced(caller))
        {
            return;
        }

        var appended = false;
        foreach (var name in changedColumns)
        {
            var column = table.FindColumn(name);
            if (column is null || !column.IsLookup || column.IsReadOnly || column.Type == ColumnType.Owner
                || values.GetValueOrDefault(column.LogicalName) is not LookupValue target || target.Table == "transactioncurrency")
            {
                continue;
            }

            if (!appended)
            {
                Demand(caller, PrivilegeAccess.Append, table, rowId, values);
                appended = true;
            }

            var referenced = _org.Metadata.Get(target.Table);
            Demand(caller, PrivilegeAccess.AppendTo, referenced, target.Id, _org.Store.Find(referenced.LogicalName, target.Id)?.Values);
        }
    }

    /// <summary>
    /// The rows of a table the caller may read, as a filter for RetrieveMultiple: null when it reads them all; the
    /// PrivilegeDenied fault when it holds no Read privilege on the table at all (Dataverse refuses the query then).
    /// </summary>
    public Func<Row, bool>? ReadFilter(CallerContext caller, TableMetadata table)
    {
        if (!Enforced(caller))
        {
            return null;
        }

        var privileges = PrivilegesOf(caller.UserId);
        if (privileges.IsSystemAdministrator)
        {
            return null;
        }

        var name = Privileges.NameOf(PrivilegeAccess.Read, table);
        var grant = privileges.Find(name) ?? throw Missing(privileges, caller.InitiatingUserId, name, table);
        if (grant.Global || !table.IsUserOwned)
        {
            return null;
        }

        return row => grant.Allows((row.Get("ownerid") as LookupValue)?.Id, (row.Get("owningbusinessunit") as LookupValue)?.Id);
    }

    /// <summary>
    /// PrivilegeDenied (0x80040220) with Dataverse's message shape, as a public Dynamics 365 community thread quotes a
    /// real one ("Principal user (Id=…, type=8, roleCount=…, privilegeCount=…, accessMode='0 Read-Write', …), is missing
    /// prvReadOfficeDocument privilege (Id=…) on OTC=4490 for entity 'officedocument' (LocalizedName='Office Document').
    /// context.Caller=…. Consider adding missed privilege to one of the principal (user/team) roles.") and Microsoft
    /// Learn's "Troubleshoot Dataverse client errors" names it (error code -2147220960). See Emulator/README.md.
    /// </summary>
    internal FaultException<OrganizationServiceFault> Missing(PrincipalPrivileges principal, Guid caller, string privilegeName, TableMetadata? table)
    {
        var on = table is null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $" on OTC={Privileges.ObjectTypeCodeOf(table)} for entity '{table.LogicalName}' (LocalizedName='{Privileges.SchemaNameOf(table)}')");
        return OrgFaults.Create(OrgErrorCodes.PrivilegeDenied, string.Create(CultureInfo.InvariantCulture,
            $"{Principal(principal)}, is missing {privilegeName} privilege (Id={Privileges.IdOf(privilegeName):D}){on}. context.Caller={caller:D}. Consider adding missed privilege to one of the principal (user/team) roles."));
    }

    /// <summary>
    /// The access-check fault (0x80048306, Microsoft Learn "Troubleshoot Dataverse client errors": "Principal with ID
    /// &lt;guid&gt; does not have CreateAccess right(s) for record with ID &lt;guid&gt; of entity"): the privilege is held, at a
    /// depth that does not reach this row.
    /// </summary>
    private static FaultException<OrganizationServiceFault> NoAccess(PrincipalPrivileges principal, Guid caller, PrivilegeAccess access, string privilegeName, PrivilegeDepth depth, TableMetadata table, Guid rowId)
        => OrgFaults.Create(OrgErrorCodes.AccessCheckFailed, string.Create(CultureInfo.InvariantCulture,
            $"Principal with ID {principal.UserId:D} does not have {access}Access right(s) for record with ID {rowId:D} of entity {table.LogicalName}: its {privilegeName} privilege reaches {depth} depth, which does not cover the record's owner. context.Caller={caller:D}."));

    private static string Principal(PrincipalPrivileges principal)
        => string.Create(CultureInfo.InvariantCulture,
            $"Principal user (Id={principal.UserId:D}, type=8, roleCount={principal.RoleCount}, privilegeCount={principal.PrivilegeCount}, accessMode='0 Read-Write', businessUnitId={principal.BusinessUnitId:D})");
}
