using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Plugins.Policy;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// The one reader of the PartnerGuard settings over the Web API. An environment variable resolves as the plug-in
/// resolves it: the definition's default value, overridden by its value row when that row holds a value.
/// </summary>
internal static class SettingsReader
{
    /// <summary>
    /// The PartnerGuard environment variables, parsed by the same code the plugin uses. Every console command reads
    /// its settings here.
    /// </summary>
    public static async Task<ChannelSettings> ReadAsync(DataverseWebApiClient client, CancellationToken cancellationToken)
    {
        // Two plain queries rather than $expand, so every Web API host answers them (the tables are small).
        var wanted = SettingNames.All.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<Guid, string>();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        await foreach (var (id, name, value) in client.QueryAsync(
            "environmentvariabledefinitions?$select=environmentvariabledefinitionid,schemaname,defaultvalue",
            row => (row.GetProperty("environmentvariabledefinitionid").GetGuid(), Text(row, "schemaname") ?? string.Empty, Text(row, "defaultvalue")),
            cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(name))
            {
                names[id] = name;
                values[name] = value;
            }
        }

        var definition = AccountColumns.ValueOf("environmentvariabledefinitionid");
        await foreach (var (id, value) in client.QueryAsync(
            $"environmentvariablevalues?$select=value,{definition}",
            row => (Id(row, definition), Text(row, "value")),
            cancellationToken).ConfigureAwait(false))
        {
            // A value row overrides the default only when it holds a value, as the plugin reads it.
            if (id is { } key && names.TryGetValue(key, out var name) && value is not null)
            {
                values[name] = value;
            }
        }

        return ChannelSettingsParser.Parse(values);
    }
}
