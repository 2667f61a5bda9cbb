using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy.Schema;
using PluginOpportunity = PartnerGuard.Policy.Schema.OpportunityColumns;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>What `statement` reads before the first partner: the shared part of the org and the audit's distribution.</summary>
/// <param name="Shared">Rules, settings, runs and "now"; no accounts or deals.</param>
internal sealed record StatementOrg(OrgSnapshot Shared, Distribution Distribution, int Accounts, int OpenDeals);

/// <summary>
/// Reads the org for `statement` in memory that does not grow with it, with the transparency commands' own row readers
/// (<see cref="TransparencySource"/>): <see cref="ReadAsync"/> streams every account and open deal once through the
/// audit's <see cref="DistributionCounter"/> (nothing kept but a count per partner), then <see cref="ReadSliceAsync"/>
/// reads one partner's part of the org with filtered queries: its customers, the open deals that name it, the open
/// deals of its customers (by customer, by parent account, and through their contacts), and the accounts those name.
/// </summary>
internal sealed class StatementSource(DataverseWebApiClient client)
{
    /// <summary>
    /// Ids per In(...) condition, about 39 characters each: the deals query carries two lists, so its request line stays
    /// under 8 KB, the default limit of Kestrel hosts such as `partnerguard emulator serve` (Dataverse takes 32 KB).
    /// </summary>
    public const int IdsPerQuery = 80;

    private readonly TransparencySource _transparency = new(client);

    public async Task<StatementOrg> ReadAsync(DateTime now, CancellationToken cancellationToken)
    {
        var settings = await _transparency.ReadUsableSettingsAsync(cancellationToken).ConfigureAwait(false);
        var rules = await _transparency.ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var counter = new DistributionCounter(settings);
        var accounts = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        await foreach (var account in client.QueryAsync($"{accounts}?$select={TransparencySource.AccountSelect}&$orderby={AccountColumns.Id}", TransparencySource.ReadAccount, cancellationToken).ConfigureAwait(false))
        {
            counter.Add(account);
        }

        var deals = await client.GetEntitySetNameAsync(PluginOpportunity.Table, cancellationToken).ConfigureAwait(false);
        var select = $"{PluginOpportunity.Id},{WebApiRow.ValueOf(PluginOpportunity.PartnerId)},{PluginOpportunity.EstimatedValueBase}";
        await foreach (var deal in client.QueryAsync(
            $"{deals}?$select={select}&$filter={PluginOpportunity.StateCode} eq 0&$orderby={PluginOpportunity.Id}",
            row => new OrgDeal(row.GetProperty(PluginOpportunity.Id).GetGuid(), string.Empty)
            {
                PartnerId = WebApiRow.Id(row, WebApiRow.ValueOf(PluginOpportunity.PartnerId)),
                EstimatedValueBase = WebApiRow.Decimal(row, PluginOpportunity.EstimatedValueBase),
            },
            cancellationToken).ConfigureAwait(false))
        {
            counter.Add(deal);
        }

        var runs = await _transparency.ReadRunsAsync(cancellationToken).ConfigureAwait(false);
        return new StatementOrg(new OrgSnapshot([], [], rules, settings, now, runs), counter.Finish(), counter.Accounts, counter.OpenDeals);
    }

    /// <summary>One account, any state, or null (to say why an id has no statement).</summary>
    public async Task<OrgAccount?> ReadAccountAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await ReadAccountsAsync([id], cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault();
    }

    /// <summary>
    /// The partner's slice of the org, as <see cref="Domain.Statements.StatementBook.For"/> takes it: its customers (any
    /// state), every open deal that names it or whose customer resolves (as the plugin resolves it) to one of them, and
    /// the accounts those deals, their customers and <paramref name="alsoAccounts"/> name.
    /// </summary>
    public async Task<OrgSnapshot> ReadSliceAsync(OrgSnapshot shared, Guid partner, IEnumerable<Guid> alsoAccounts, CancellationToken cancellationToken)
    {
        var accountSet = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var accounts = new Dictionary<Guid, OrgAccount>();
        await foreach (var account in client.QueryAsync(
            $"{accountSet}?$select={TransparencySource.AccountSelect}&$filter={WebApiRow.ValueOf(AccountColumns.AssignedPartnerId)} eq {partner:D}&$orderby={AccountColumns.Id}",
            TransparencySource.ReadAccount,
            cancellationToken).ConfigureAwait(false))
        {
            accounts[account.Id] = account;
        }

        // The deals that name the partner are asked for with the first chunk of its customers (one scan fewer).
        var rows = new Dictionary<Guid, DealRow>();
        var namingPartner = $"{WebApiRow.ValueOf(PluginOpportunity.PartnerId)} eq {partner:D}";
        var chunks = accounts.Keys.Order().Chunk(IdsPerQuery).ToList();
        if (chunks.Count == 0)
        {
            await ReadDealsAsync(namingPartner, rows, cancellationToken).ConfigureAwait(false);
        }

        var contactSet = await client.GetEntitySetNameAsync(ContactColumns.Table, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            var ofCustomers = $"{ODataFilter.In(PluginOpportunity.CustomerId, chunk)} or {ODataFilter.In(PluginOpportunity.ParentAccountId, chunk)}";
            await ReadDealsAsync(i == 0 ? $"({namingPartner} or {ofCustomers})" : $"({ofCustomers})", rows, cancellationToken).ConfigureAwait(false);
            var contacts = new List<Guid>();
            await foreach (var (contact, _) in client.QueryAsync(
                $"{contactSet}?$select={TransparencySource.ContactSelect}&$filter={ODataFilter.In(ContactColumns.ParentCustomerId, chunk)}",
                TransparencySource.ReadContactAccount,
                cancellationToken,
                DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
            {
                contacts.Add(contact);
            }

            foreach (var contactChunk in contacts.Chunk(IdsPerQuery))
            {
                await ReadDealsAsync(ODataFilter.In(PluginOpportunity.CustomerId, contactChunk), rows, cancellationToken).ConfigureAwait(false);
            }
        }

        var contactAccounts = new Dictionary<Guid, Guid>();
        foreach (var chunk in TransparencySource.ContactsToResolve(rows.Values).Order().Chunk(IdsPerQuery))
        {
            await foreach (var (contact, account) in client.QueryAsync(
                $"{contactSet}?$select={TransparencySource.ContactSelect}&$filter={ODataFilter.In(ContactColumns.Id, chunk)}",
                TransparencySource.ReadContactAccount,
                cancellationToken,
                DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
            {
                if (account is { } value)
                {
                    contactAccounts[contact] = value;
                }
            }
        }

        var deals = rows.Values.Select(d => TransparencySource.Resolve(d, contactAccounts)).ToList();

        // The accounts the statement names: the partner, the deals' customers and partners, the customers' partners
        // (for a conflict's names), and those from the journals. Two rounds: a customer read in the first may name a partner.
        var wanted = new HashSet<Guid>(alsoAccounts) { partner };
        foreach (var deal in deals)
        {
            AddIfSome(wanted, deal.CustomerAccountId);
            AddIfSome(wanted, deal.PartnerId);
        }

        for (var round = 0; round < 2; round++)
        {
            wanted.ExceptWith(accounts.Keys);
            foreach (var account in await ReadAccountsAsync(wanted, cancellationToken).ConfigureAwait(false))
            {
                accounts[account.Id] = account;
            }

            wanted = accounts.Values.Select(a => a.AssignedPartnerId).OfType<Guid>().ToHashSet();
        }

        return new OrgSnapshot([.. accounts.Values], deals, shared.Rules, shared.Settings, shared.Now, shared.Runs);
    }

    private async Task ReadDealsAsync(string filter, Dictionary<Guid, DealRow> rows, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(PluginOpportunity.Table, cancellationToken).ConfigureAwait(false);
        await foreach (var row in client.QueryAsync(
            $"{set}?$select={TransparencySource.DealSelect}&$filter={PluginOpportunity.StateCode} eq 0 and {filter}",
            TransparencySource.ReadDeal,
            cancellationToken,
            DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
        {
            rows[row.Deal.Id] = row;
        }
    }

    private async Task<List<OrgAccount>> ReadAccountsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var found = new List<OrgAccount>();
        foreach (var chunk in ids.Order().Chunk(IdsPerQuery))
        {
            await foreach (var account in client.QueryAsync(
                $"{set}?$select={TransparencySource.AccountSelect}&$filter={ODataFilter.In(AccountColumns.Id, chunk)}",
                TransparencySource.ReadAccount,
                cancellationToken).ConfigureAwait(false))
            {
                found.Add(account);
            }
        }

        return found;
    }

    private static void AddIfSome(HashSet<Guid> set, Guid? id)
    {
        if (id is { } value)
        {
            set.Add(value);
        }
    }
}
