namespace PartnerGuard.Policy.Schema;

/// <summary>
/// The environment variable tables: the current value of a variable is its value row's, else its definition's
/// default. PartnerGuard's variables are named in <see cref="SettingNames"/>.
/// </summary>
public static class EnvironmentVariableColumns
{
    public const string DefinitionTable = "environmentvariabledefinition";
    public const string DefinitionEntitySet = "environmentvariabledefinitions";
    public const string DefinitionId = "environmentvariabledefinitionid";
    public const string SchemaName = "schemaname";
    public const string DefaultValue = "defaultvalue";
    public const string ValueTable = "environmentvariablevalue";
    public const string ValueEntitySet = "environmentvariablevalues";
    public const string ValueId = "environmentvariablevalueid";
    public const string Value = "value";
}
