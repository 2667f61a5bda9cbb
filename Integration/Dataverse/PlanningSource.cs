using System.Runtime.CompilerServices;
using System.Text.Json;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Reads what planning needs from Dataverse over the Web API: the PartnerGuard settings (environment
/// variables), the active direct sales rules, the active partners with their current counts, the hierarchies under
/// named accounts, and the candidate accounts — streamed page by page; per-partner counts are kept, accounts are not.
/// </summary>
internal sealed class PlanningSource
{
    private readonly DataverseWebApiClient _client;

    public PlanningSource(DataverseWebApiClient client)
    {
        _client = client;
    }

    /// <summary>The PartnerGuard settings (<see cref="SettingsReader"/>).</summary>
    public Task<ChannelSettings> ReadSettingsAsync(CancellationToken cancellationToken) =>
        SettingsReader.ReadAsync(_client, cancellationToken);

    /// <summary>The active direct sales rules, validated as the plugin validates them.</summary>
    public async Task<CompiledRuleSet> ReadRulesAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = DirectSalesRuleRows.Select;
        var drafts = new List<DirectSalesRuleDraft>();
        await foreach (var draft in _client.QueryAsync($"{set}?$select={select}&$filter={DirectSalesRuleColumns.StateCode} eq 0", DirectSalesRuleRows.Read, cancellationToken).ConfigureAwait(false))
        {
            drafts.Add(draft);
        }

        return CompiledRuleSet.FromDrafts(drafts);
    }

    /// <summary>
    /// Active partners (relationship type among the partner types), each with how many active accounts it already
    /// has (the fair shares need nothing more): one pass over the partners, then one streamed pass over the active
    /// accounts that have an assigned partner, counting per partner and keeping nothing per account.
    /// </summary>
    public async Task<List<PartnerCandidate>> ReadPartnersAsync(ChannelSettings settings, CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var partnerSelect = string.Join(",", AccountColumns.Id, AccountColumns.Name, AccountColumns.PartnerCapacity, AccountColumns.PartnerCountries, WebApiRow.ValueOf(AccountColumns.PartnerTeamId));
        var partners = new List<(Guid Id, string Name, int? Capacity, IReadOnlyList<string> Countries, Guid? Team)>();
        await foreach (var partner in _client.QueryAsync(
            $"{set}?$select={partnerSelect}&$filter={AccountColumns.StateCode} eq 0 and {ODataFilter.AnyOf(AccountColumns.RelationshipType, settings.PartnerRelationshipTypes)}",
            ReadPartner,
            cancellationToken).ConfigureAwait(false))
        {
            partners.Add(partner);
        }

        var assigned = WebApiRow.ValueOf(AccountColumns.AssignedPartnerId);
        var counts = partners.ToDictionary(p => p.Id, _ => 0);
        await foreach (var partner in _client.QueryAsync(
            $"{set}?$select={AccountColumns.Id},{assigned}&$filter={AccountColumns.StateCode} eq 0 and {assigned} ne null",
            row => Id(row, assigned),
            cancellationToken).ConfigureAwait(false))
        {
            if (partner is { } id && counts.TryGetValue(id, out var count))
            {
                counts[id] = count + 1; // only active partners are counted: the dictionary never grows
            }
        }

        return partners
            .Select(p => new PartnerCandidate(p.Id, p.Name, p.Capacity, counts[p.Id], p.Countries, p.Team))
            .ToList();
    }

    /// <summary>
    /// Named-account rules that include subsidiaries need each account's parents. Rather than every account's parent
    /// (one entry per account), this reads the accounts under each such rule's named account, with their parent,
    /// through the Web API's hierarchy function Under (the plugin reads a customer's parents with the same
    /// hierarchy, above-or-equal, whatever their state). What is kept grows with those named hierarchies, not with
    /// the number of accounts; with no such rule nothing is read. Under is a Web API query function
    /// (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/under) over account's hierarchical
    /// parentaccountid relationship; hierarchy conditions follow at most 100 levels by default ("Query hierarchical
    /// data"), the same bound the plugin's above-or-equal read has.
    /// </summary>
    public async Task<NamedHierarchies> ReadNamedHierarchiesAsync(CompiledRuleSet rules, CancellationToken cancellationToken)
    {
        var roots = rules.Rules.OfType<NamedAccountRule>().Where(r => r.IncludeSubsidiaries).Select(r => r.AccountId).Distinct().ToList();
        var parents = new Dictionary<Guid, Guid>();
        if (roots.Count == 0)
        {
            return new NamedHierarchies(parents);
        }

        var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var parent = WebApiRow.ValueOf(AccountColumns.ParentAccountId);
        foreach (var root in roots)
        {
            await foreach (var (id, parentId) in _client.QueryAsync(
                $"{set}?$select={AccountColumns.Id},{parent}&$filter=Microsoft.Dynamics.CRM.Under(PropertyName='{AccountColumns.Id}',PropertyValue='{root:D}')",
                row => (row.GetProperty(AccountColumns.Id).GetGuid(), Id(row, parent)),
                cancellationToken).ConfigureAwait(false))
            {
                if (parentId is { } p)
                {
                    parents[id] = p;
                }
            }
        }

        return new NamedHierarchies(parents);
    }

    /// <summary>
    /// The candidate accounts, streamed in the server's order (<c>$orderby=accountid</c>; Dataverse orders
    /// uniqueidentifier as SQL Server does, so the plan's row order is the server's, and the same data gives the same
    /// order): active, without an assigned partner (both filtered by the server), not partner accounts. With
    /// <paramref name="filter"/>, the user's FetchXML conditions are part of the same query. Nothing is kept here:
    /// each account goes to the caller as its page arrives.
    /// </summary>
    public async IAsyncEnumerable<AccountCandidate> ReadCandidatesAsync(
        ChannelSettings settings,
        IReadOnlyCollection<PartnerCandidate> partners,
        NamedHierarchies hierarchies,
        AccountFetchFilter? filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partnerTypes = settings.PartnerRelationshipTypes;
        var partnerIds = partners.Select(p => p.Id).ToHashSet();
        IAsyncEnumerable<AccountCandidate> rows;
        if (filter is null)
        {
            var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
            var select = string.Join(",", CandidateColumns.Select(c => c.Lookup ? WebApiRow.ValueOf(c.Name) : c.Name));
            rows = _client.QueryAsync(
                $"{set}?$select={select}&$filter={AccountColumns.StateCode} eq 0 and {WebApiRow.ValueOf(AccountColumns.AssignedPartnerId)} eq null&$orderby={AccountColumns.Id}",
                row => ReadAccount(row, partnerTypes, hierarchies),
                cancellationToken,
                DataverseWebApiClient.LookupTableAnnotation);
        }
        else
        {
            rows = filter.ReadAsync(
                _client,
                CandidateColumns.Select(c => c.Name).ToList(),
                [(AccountColumns.StateCode, "eq", "0"), (AccountColumns.AssignedPartnerId, "null", null)],
                row => ReadAccount(row, partnerTypes, hierarchies),
                cancellationToken);
        }

        await foreach (var account in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (account.IsPartner || partnerIds.Contains(account.Id))
            {
                continue; // partners are not customers to plan, nor reported as left out
            }

            yield return account;
        }
    }

    /// <summary>The account columns planning reads; lookups are selected as _name_value.</summary>
    private static readonly (string Name, bool Lookup)[] CandidateColumns =
    [
        (AccountColumns.Id, false), (AccountColumns.Name, false), (AccountColumns.Number, false), (AccountColumns.Country, false),
        (AccountColumns.StateOrProvince, false), (AccountColumns.OwnerId, true), (AccountColumns.AssignedPartnerId, true),
        (AccountColumns.RelationshipType, false), (AccountColumns.RevenueBase, false), (AccountColumns.NumberOfEmployees, false),
        (AccountColumns.ParentAccountId, true),
    ];

    private static (Guid Id, string Name, int? Capacity, IReadOnlyList<string> Countries, Guid? Team) ReadPartner(JsonElement row)
    {
        var countries = (Text(row, AccountColumns.PartnerCountries) ?? string.Empty)
            .Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(c => CountryNormalizer.TryNormalize(c, out var code) ? code : c.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        int? capacity = row.TryGetProperty(AccountColumns.PartnerCapacity, out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
        return (row.GetProperty(AccountColumns.Id).GetGuid(), Text(row, AccountColumns.Name) ?? string.Empty, capacity, countries, Id(row, WebApiRow.ValueOf(AccountColumns.PartnerTeamId)));
    }

    private static AccountCandidate ReadAccount(JsonElement row, IReadOnlyList<int> partnerTypes, NamedHierarchies hierarchies)
    {
        var ownerKey = WebApiRow.ValueOf(AccountColumns.OwnerId);
        int? type = row.TryGetProperty(AccountColumns.RelationshipType, out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null;
        var id = row.GetProperty(AccountColumns.Id).GetGuid();
        return new AccountCandidate(
            id,
            Text(row, AccountColumns.Name) ?? string.Empty,
            Text(row, AccountColumns.Number),
            Text(row, AccountColumns.Country),
            Id(row, ownerKey),
            Text(row, ownerKey + Annotations.LookupLogicalName),
            Id(row, WebApiRow.ValueOf(AccountColumns.AssignedPartnerId)),
            IsActive: true,
            IsPartner: type is { } value && partnerTypes.Contains(value))
        {
            AnnualRevenueBase = row.TryGetProperty(AccountColumns.RevenueBase, out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDecimal() : null,
            Employees = row.TryGetProperty(AccountColumns.NumberOfEmployees, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null,
            StateOrProvince = Text(row, AccountColumns.StateOrProvince),
            AncestorIds = hierarchies.Ancestors(id, Id(row, WebApiRow.ValueOf(AccountColumns.ParentAccountId))),
        };
    }

}

/// <summary>
/// Parent links of the accounts under the named accounts of rules that include subsidiaries (child → parent).
/// An account's ancestors are its parent, then the parents found here, nearest first, stopping on a loop: the
/// chain reaches a named account exactly when the account is under it, which is all the policy asks of it.
/// </summary>
internal sealed class NamedHierarchies(Dictionary<Guid, Guid> parents)
{
    public static NamedHierarchies None { get; } = new([]);

    public int Count => parents.Count;

    public IReadOnlyList<Guid> Ancestors(Guid accountId, Guid? parentId)
    {
        if (parentId is not { } parent || parents.Count == 0)
        {
            return [];
        }

        var chain = new List<Guid>();
        var seen = new HashSet<Guid> { accountId };
        var current = parent;
        while (seen.Add(current))
        {
            chain.Add(current);
            if (!parents.TryGetValue(current, out current))
            {
                break;
            }
        }

        return chain;
    }
}
