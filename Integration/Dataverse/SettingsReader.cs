using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
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
            $"{EnvironmentVariableColumns.DefinitionEntitySet}?$select={EnvironmentVariableColumns.DefinitionId},{EnvironmentVariableColumns.SchemaName},{EnvironmentVariableColumns.DefaultValue}",
            row => (row.GetProperty(EnvironmentVariableColumns.DefinitionId).GetGuid(), Text(row, EnvironmentVariableColumns.SchemaName) ?? string.Empty, Text(row, EnvironmentVariableColumns.DefaultValue)),
            cancellationToken).ConfigureAwait(false))
        {
            if (wanted.Contains(name))
            {
                names[id] = name;
                values[name] = value;
            }
        }

        var definition = ValueOf(EnvironmentVariableColumns.DefinitionId);
        await foreach (var (id, value) in client.QueryAsync(
            $"{EnvironmentVariableColumns.ValueEntitySet}?$select={EnvironmentVariableColumns.Value},{definition}",
            row => (Id(row, definition), Text(row, EnvironmentVariableColumns.Value)),
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
