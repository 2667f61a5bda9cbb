using System.Globalization;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Checks a plan's partners against the org just before it is applied (issue #12 defect 5): a plan is reviewed and
/// may be edited, and partners change between planning and applying. One <c>In</c> query per 100 partners reads each
/// partner's state and relationship type; a partner that no longer exists, is inactive, or whose relationship type is
/// not among the settings' partner types (pg_PartnerRelationshipTypes: a customer written in as partner) cannot
/// take accounts, and the rows that name it are skipped with the reason returned here.
/// </summary>
internal static class PlanPartners
{
    /// <summary>Why each refused partner cannot take accounts; partners that can are absent.</summary>
    public static async Task<Dictionary<Guid, string>> RefusedAsync(DataverseWebApiClient client, IReadOnlyCollection<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var refused = new Dictionary<Guid, string>();
        if (partnerIds.Count == 0)
        {
            return refused;
        }

        var settings = await SettingsReader.ReadAsync(client, cancellationToken).ConfigureAwait(false);
        if (settings.Problem is not null)
        {
            throw new UsageException($"The PartnerGuard settings in Dataverse cannot be used, so the plan's partners cannot be checked: {settings.Problem}");
        }

        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = string.Join(",", AccountColumns.Id, AccountColumns.Name, AccountColumns.StateCode, AccountColumns.RelationshipType);
        var found = new HashSet<Guid>();
        foreach (var chunk in partnerIds.Order().Chunk(100))
        {
            var query = $"{set}?$select={select}&$filter={ODataFilter.In(AccountColumns.Id, chunk)}";
            await foreach (var (id, name, state, type) in client.QueryAsync(query, row => (
                row.GetProperty(AccountColumns.Id).GetGuid(),
                WebApiRow.Text(row, AccountColumns.Name),
                WebApiRow.Int(row, AccountColumns.StateCode),
                WebApiRow.Int(row, AccountColumns.RelationshipType)), cancellationToken).ConfigureAwait(false))
            {
                found.Add(id);
                var partner = $"'{name}' ({id:D})";
                if (state != 0)
                {
                    refused[id] = $"the planned partner {partner} is inactive";
                }
                else if (type is not { } code || !settings.PartnerRelationshipTypes.Contains(code))
                {
                    var kind = type is { } t ? "relationship type " + t.ToString(CultureInfo.InvariantCulture) : "no relationship type";
                    refused[id] = $"the planned partner {partner} is not a partner ({kind}; partner types: {string.Join(", ", settings.PartnerRelationshipTypes)})";
                }
            }
        }

        foreach (var id in partnerIds.Where(id => !found.Contains(id)))
        {
            refused[id] = $"the planned partner {id:D} does not exist";
        }

        return refused;
    }
}
