namespace PartnerGuard.Plugins;

/// <summary>Environment variable tables: the current value is the value row's, else the definition's default.</summary>
public static class EnvironmentVariableColumns
{
    public const string DefinitionTable = "environmentvariabledefinition";
    public const string DefinitionId = "environmentvariabledefinitionid";
    public const string SchemaName = "schemaname";
    public const string DefaultValue = "defaultvalue";
    public const string ValueTable = "environmentvariablevalue";
    public const string Value = "value";
}

/// <summary>The team membership intersect table (systemuser ↔ team).</summary>
public static class TeamMembershipColumns
{
    public const string Table = "teammembership";
    public const string Id = "teammembershipid";
    public const string TeamId = "teamid";
    public const string SystemUserId = "systemuserid";
}
