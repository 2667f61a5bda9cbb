using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Dataverse.WebApi;
using OpportunityColumns = PartnerGuard.Policy.Schema.OpportunityColumns;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>The entity set and navigation names the attacher needs, resolved once per run.</summary>
internal sealed record TableNames(string Accounts, string Deals, string DealId, string PartnerNavigation)
{
    public static async Task<TableNames> ResolveAsync(DataverseWebApiClient client, CancellationToken cancellationToken)
    {
        var accounts = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var deals = await client.GetEntitySetNameAsync(OpportunityColumns.Table, cancellationToken).ConfigureAwait(false);
        var navigation = await client.GetLookupNavigationNameAsync(OpportunityColumns.Table, OpportunityColumns.PartnerId, AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        return new TableNames(accounts, deals, "opportunityid", navigation);
    }
}
