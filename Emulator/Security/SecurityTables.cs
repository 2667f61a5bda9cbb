using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.Security;

/// <summary>
/// The security tables, with the columns the emulator's security model reads (Dataverse table reference:
/// role, privilege, roleprivileges, systemuserroles, teamroles), and the two many-to-many relationships roles are
/// given with: <c>systemuserroles_association</c> (systemuser ↔ role) and <c>teamroles_association</c> (team ↔ role).
/// </summary>
internal static class SecurityTables
{
    /// <summary>The role template id of Dataverse's built-in System Administrator role (the same in every environment).</summary>
    public static readonly Guid SystemAdministratorTemplateId = new("627090ff-40a3-4053-8790-584edc5be201");

    /// <summary>Tables whose rows decide what a principal may do: a write to any of them invalidates the cached privileges.</summary>
    public static readonly string[] Watched =
        ["role", "roleprivileges", "systemuserroles", "teamroles", "teammembership", "systemuser", "team", "businessunit"];

    public static void AddTo(MetadataCatalog catalog)
    {
        var role = SystemTables.Table(catalog, "role", "name", "roles");
        SystemTables.Text(role, "name", 100);
        SystemTables.Lookup(role, "businessunitid", "businessunit");
        role.AddColumn(new ColumnMetadata("roletemplateid", ColumnType.UniqueIdentifier));
        // Member's privilege inheritance: 0 Team privileges only, 1 Direct User (Basic) access level and Team privileges.
        role.AddColumn(new ColumnMetadata("isinherited", ColumnType.Picklist) { Options = new[] { 0, 1 } });
        SystemTables.Audit(role);

        var privilege = SystemTables.Table(catalog, "privilege", "name", "privileges");
        SystemTables.Text(privilege, "name", 100);

        var rolePrivileges = catalog.AddOrGet(new TableMetadata("roleprivileges", "roleprivilegeid") { EntitySetName = "roleprivilegescollection" });
        rolePrivileges.AddColumn(new ColumnMetadata("roleid", ColumnType.UniqueIdentifier));
        rolePrivileges.AddColumn(new ColumnMetadata("privilegeid", ColumnType.UniqueIdentifier));
        rolePrivileges.AddColumn(new ColumnMetadata("privilegedepthmask", ColumnType.Integer));
        rolePrivileges.AddColumn(new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsReadOnly = true });

        var userRoles = catalog.AddOrGet(new TableMetadata("systemuserroles", "systemuserroleid") { EntitySetName = "systemuserrolescollection" });
        userRoles.AddColumn(new ColumnMetadata("systemuserid", ColumnType.UniqueIdentifier));
        userRoles.AddColumn(new ColumnMetadata("roleid", ColumnType.UniqueIdentifier));
        userRoles.AddColumn(new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsReadOnly = true });

        var teamRoles = catalog.AddOrGet(new TableMetadata("teamroles", "teamroleid") { EntitySetName = "teamrolescollection" });
        teamRoles.AddColumn(new ColumnMetadata("teamid", ColumnType.UniqueIdentifier));
        teamRoles.AddColumn(new ColumnMetadata("roleid", ColumnType.UniqueIdentifier));
        teamRoles.AddColumn(new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsReadOnly = true });

        catalog.AddManyToMany(new ManyToManyRelationshipMetadata("systemuserroles_association", "systemuserroles", "systemuser", "systemuserid", "role", "roleid"));
        catalog.AddManyToMany(new ManyToManyRelationshipMetadata("teamroles_association", "teamroles", "team", "teamid", "role", "roleid"));
    }
}
