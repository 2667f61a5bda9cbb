using System.Security.Cryptography;
using System.Text;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.Security;

/// <summary>
/// Privilege names and ids. A table privilege is <c>prv</c> + access + the table's schema name as cased in metadata
/// (<c>prvReadAccount</c>, <c>prvAppendTopg_DirectSalesRule</c>); names compare case-insensitively. The misc
/// privileges the emulator checks are listed here with the ids Dataverse uses in every environment where those are
/// documented (shared/reference/webapi-notes.md §2.4); other privileges get a stable id derived from their name.
/// </summary>
public static class Privileges
{
    /// <summary>Needed to send BypassCustomPluginExecution (SDK parameter or the MSCRM.BypassCustomPluginExecution header).</summary>
    public const string BypassCustomPlugins = "prvBypassCustomPlugins";

    /// <summary>Needed to send BypassBusinessLogicExecution (CustomSync / CustomAsync) and its step-id variant.</summary>
    public const string BypassCustomBusinessLogic = "prvBypassCustomBusinessLogic";

    /// <summary>Needed to impersonate (MSCRMCallerID / CallerObjectId headers): the Delegate role's privilege.</summary>
    public const string ActOnBehalfOfAnotherUser = "prvActOnBehalfOfAnotherUser";

    private static readonly Dictionary<string, Guid> KnownIds = new(StringComparer.OrdinalIgnoreCase)
    {
        [BypassCustomPlugins] = new Guid("148a9eaf-d0c4-4196-9852-c3a38e35f6a1"),
        [BypassCustomBusinessLogic] = new Guid("0ea552b0-a491-4470-9a1b-82068deccf66"),
    };

    /// <summary>
    /// Schema names of the built-in system tables (the emulator keeps their logical name as schema name elsewhere), so
    /// privilege names read as Dataverse spells them: prvReadAccount, prvReadEnvironmentVariableValue.
    /// </summary>
    private static readonly Dictionary<string, string> SystemSchemaNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = "Account",
        ["contact"] = "Contact",
        ["opportunity"] = "Opportunity",
        ["systemuser"] = "SystemUser",
        ["team"] = "Team",
        ["teammembership"] = "TeamMembership",
        ["businessunit"] = "BusinessUnit",
        ["transactioncurrency"] = "TransactionCurrency",
        ["environmentvariabledefinition"] = "EnvironmentVariableDefinition",
        ["environmentvariablevalue"] = "EnvironmentVariableValue",
        ["webresource"] = "WebResource",
        ["systemform"] = "SystemForm",
        ["savedquery"] = "SavedQuery",
        ["savedqueryvisualization"] = "SavedQueryVisualization",
        ["appmodule"] = "AppModule",
        ["sitemap"] = "SiteMap",
        ["role"] = "Role",
        ["privilege"] = "Privilege",
        ["roleprivileges"] = "RolePrivileges",
        ["systemuserroles"] = "SystemUserRoles",
        ["teamroles"] = "TeamRoles",
    };

    /// <summary>Object type codes of the system tables (the OTC in privilege faults); others get a stable code from 10000 up.</summary>
    private static readonly Dictionary<string, int> ObjectTypeCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = 1,
        ["contact"] = 2,
        ["opportunity"] = 3,
        ["systemuser"] = 8,
        ["team"] = 9,
        ["businessunit"] = 10,
        ["role"] = 1036,
        ["systemform"] = 1030,
        ["savedquery"] = 1039,
        ["transactioncurrency"] = 9105,
        ["webresource"] = 9333,
    };

    /// <summary>The schema name privileges use for a table.</summary>
    public static string SchemaNameOf(TableMetadata table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.SchemaName == table.LogicalName && SystemSchemaNames.TryGetValue(table.LogicalName, out var schema) ? schema : table.SchemaName;
    }

    /// <summary>The privilege name for an access on a table: <c>prvWriteAccount</c>.</summary>
    public static string NameOf(PrivilegeAccess access, TableMetadata table) => "prv" + access + SchemaNameOf(table);

    /// <summary>The privilege's id: the documented one for the well-known misc privileges, else a stable id from the lower-cased name.</summary>
    public static Guid IdOf(string privilegeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privilegeName);
        if (KnownIds.TryGetValue(privilegeName, out var known))
        {
            return known;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("partnerguard-privilege:" + privilegeName.ToLowerInvariant()));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>The object type code shown in privilege faults.</summary>
    internal static int ObjectTypeCodeOf(TableMetadata table)
    {
        if (ObjectTypeCodes.TryGetValue(table.LogicalName, out var code))
        {
            return code;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(table.LogicalName));
        return 10000 + (int)(BitConverter.ToUInt32(hash, 0) % 90000);
    }
}
