using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>Reads the partners' teams (pg_partnerteamid) of a run's target partners, 100 partners per query.</summary>
internal static class PartnerTeams
{
    /// <summary>Each partner found: its name and team (null when it has none). Partners that no longer exist are absent.</summary>
    public static async Task<Dictionary<Guid, (string? Name, Guid? Team)>> ReadAsync(DataverseWebApiClient client, IEnumerable<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var teamColumn = WebApiRow.ValueOf(AccountColumns.PartnerTeamId);
        var found = new Dictionary<Guid, (string? Name, Guid? Team)>();
        foreach (var chunk in partnerIds.Order().Chunk(100))
        {
            var query = $"{set}?$select={AccountColumns.Id},{AccountColumns.Name},{teamColumn}&$filter={ODataFilter.AnyOf(AccountColumns.Id, chunk)}";
            await foreach (var (id, name, team) in client.QueryAsync(query, row => (
                row.GetProperty(AccountColumns.Id).GetGuid(),
                WebApiRow.Text(row, AccountColumns.Name),
                WebApiRow.Id(row, teamColumn)), cancellationToken).ConfigureAwait(false))
            {
                found[id] = (name, team);
            }
        }

        return found;
    }
}
