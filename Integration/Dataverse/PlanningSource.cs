using System.Globalization;
using System.Text.Json;
using PartnerGuard.Integration.Planning;
using PartnerGuard.Integration.WebApi;
using PartnerGuard.Plugins.Policy;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Reads what planning needs from Dataverse over the Web API: the PartnerGuard settings (environment
/// variables), the active direct sales rules, the active partners, and the active accounts — streamed page by
/// page; only eligible candidates and per-partner counts are kept.
/// </summary>
internal sealed class PlanningSource
{
    private readonly DataverseWebApiClient _client;

    public PlanningSource(DataverseWebApiClient client)
    {
        _client = client;
    }

    /// <summary>
    /// The PartnerGuard environment variables (current value, else default), parsed by the same code the plugin
    /// uses. Every console command reads its settings here.
    /// </summary>
    public async Task<ChannelSettings> ReadSettingsAsync(CancellationToken cancellationToken)
    {
        // Two plain queries rather than $expand, so every Web API host answers them (the tables are small).
        var wanted = SettingNames.All.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<Guid, string>();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        await foreach (var (id, name, value) in _client.QueryAsync(
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
        await foreach (var (id, value) in _client.QueryAsync(
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

    /// <summary>The active direct sales rules, validated as the plugin validates them.</summary>
    public async Task<CompiledRuleSet> ReadRulesAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = DirectSalesRuleColumns.Select;
        var drafts = new List<DirectSalesRuleDraft>();
        await foreach (var draft in _client.QueryAsync($"{set}?$select={select}&$filter={DirectSalesRuleColumns.StateCode} eq 0", ReadRule, cancellationToken).ConfigureAwait(false))
        {
            drafts.Add(draft);
        }

        return CompiledRuleSet.FromDrafts(drafts);
    }

    /// <summary>
    /// Active partners (relationship type among the partner types) and every active customer account,
    /// counting each partner's currently assigned customers on the way. Accounts with an assigned partner are
    /// counted, not kept; inactive accounts are filtered by the server.
    /// </summary>
    public async Task<(List<AccountCandidate> Accounts, List<PartnerCandidate> Partners)> ReadCandidatesAsync(ChannelSettings settings, CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var partnerTypes = settings.PartnerRelationshipTypes;
        var partnerSelect = string.Join(",", AccountColumns.Id, AccountColumns.Name, AccountColumns.PartnerCapacity, AccountColumns.PartnerCountries, AccountColumns.ValueOf(AccountColumns.PartnerTeam));
        var partners = new List<(Guid Id, string Name, int? Capacity, IReadOnlyList<string> Countries, Guid? Team)>();
        await foreach (var partner in _client.QueryAsync(
            $"{set}?$select={partnerSelect}&$filter={AccountColumns.StateCode} eq 0 and {ODataFilter.AnyOf(AccountColumns.RelationshipType, partnerTypes)}",
            ReadPartner,
            cancellationToken).ConfigureAwait(false))
        {
            partners.Add(partner);
        }

        var partnerIds = partners.Select(p => p.Id).ToHashSet();
        var assignedCounts = new Dictionary<Guid, int>();
        var parents = new Dictionary<Guid, Guid>();
        var accounts = new List<AccountCandidate>();
        var accountSelect = string.Join(",",
            AccountColumns.Id, AccountColumns.Name, AccountColumns.Number, AccountColumns.Country, AccountColumns.StateOrProvince,
            AccountColumns.ValueOf(AccountColumns.Owner), AccountColumns.ValueOf(AccountColumns.AssignedPartner), AccountColumns.RelationshipType,
            AccountColumns.RevenueBase, AccountColumns.Employees, AccountColumns.ValueOf(AccountColumns.ParentAccount));
        await foreach (var (account, parent) in _client.QueryAsync(
            $"{set}?$select={accountSelect}&$filter={AccountColumns.StateCode} eq 0&$orderby={AccountColumns.Id}",
            row => ReadAccount(row, partnerTypes),
            cancellationToken,
            DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
        {
            if (parent is { } p)
            {
                parents[account.Id] = p;
            }

            if (account.AssignedPartnerId is { } assigned)
            {
                assignedCounts[assigned] = assignedCounts.GetValueOrDefault(assigned) + 1;
                continue;
            }

            if (account.IsPartner || partnerIds.Contains(account.Id))
            {
                continue;
            }

            accounts.Add(account);
        }

        var withAncestors = accounts.Select(a => a with { AncestorIds = Ancestors(a.Id, parents) }).ToList();
        var candidates = partners
            .Select(p => new PartnerCandidate(p.Id, p.Name, p.Capacity, assignedCounts.GetValueOrDefault(p.Id), p.Countries, p.Team))
            .ToList();
        return (withAncestors, candidates);
    }

    private static IReadOnlyList<Guid> Ancestors(Guid id, Dictionary<Guid, Guid> parents)
    {
        var chain = new List<Guid>();
        var seen = new HashSet<Guid> { id };
        while (parents.TryGetValue(id, out var parent) && seen.Add(parent))
        {
            chain.Add(parent);
            id = parent;
        }

        return chain;
    }

    private static DirectSalesRuleDraft ReadRule(JsonElement row) => new()
    {
        Id = row.GetProperty(DirectSalesRuleColumns.Id).GetGuid(),
        Name = Text(row, DirectSalesRuleColumns.Name),
        Kind = Raw(row, DirectSalesRuleColumns.Kind),
        Measure = Raw(row, DirectSalesRuleColumns.Measure),
        Threshold = row.TryGetProperty(DirectSalesRuleColumns.Threshold, out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDecimal() : null,
        Countries = Text(row, DirectSalesRuleColumns.Countries),
        Regions = Text(row, DirectSalesRuleColumns.Regions),
        AccountId = Id(row, AccountColumns.ValueOf(DirectSalesRuleColumns.Account)),
        IncludeSubsidiaries = row.TryGetProperty(DirectSalesRuleColumns.IncludeSubsidiaries, out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null,
        Description = Text(row, DirectSalesRuleColumns.Description),
        Priority = row.TryGetProperty(DirectSalesRuleColumns.Priority, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : null,
        EffectiveFrom = row.TryGetProperty(DirectSalesRuleColumns.EffectiveFrom, out var f) && f.ValueKind == JsonValueKind.String ? f.GetDateTime() : null,
        EffectiveTo = row.TryGetProperty(DirectSalesRuleColumns.EffectiveTo, out var to) && to.ValueKind == JsonValueKind.String ? to.GetDateTime() : null,
        IsActive = true,
    };

    private static (Guid Id, string Name, int? Capacity, IReadOnlyList<string> Countries, Guid? Team) ReadPartner(JsonElement row)
    {
        var countries = (Text(row, AccountColumns.PartnerCountries) ?? string.Empty)
            .Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(c => CountryNormalizer.TryNormalize(c, out var code) ? code : c.ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        int? capacity = row.TryGetProperty(AccountColumns.PartnerCapacity, out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
        return (row.GetProperty(AccountColumns.Id).GetGuid(), Text(row, AccountColumns.Name) ?? string.Empty, capacity, countries, Id(row, AccountColumns.ValueOf(AccountColumns.PartnerTeam)));
    }

    private static (AccountCandidate Account, Guid? Parent) ReadAccount(JsonElement row, IReadOnlyList<int> partnerTypes)
    {
        var ownerKey = AccountColumns.ValueOf(AccountColumns.Owner);
        int? type = row.TryGetProperty(AccountColumns.RelationshipType, out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null;
        var account = new AccountCandidate(
            row.GetProperty(AccountColumns.Id).GetGuid(),
            Text(row, AccountColumns.Name) ?? string.Empty,
            Text(row, AccountColumns.Number),
            Text(row, AccountColumns.Country),
            Id(row, ownerKey),
            Text(row, ownerKey + Annotations.LookupLogicalName),
            Id(row, AccountColumns.ValueOf(AccountColumns.AssignedPartner)),
            IsActive: true,
            IsPartner: type is { } value && partnerTypes.Contains(value))
        {
            AnnualRevenueBase = row.TryGetProperty(AccountColumns.RevenueBase, out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDecimal() : null,
            Employees = row.TryGetProperty(AccountColumns.Employees, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null,
            StateOrProvince = Text(row, AccountColumns.StateOrProvince),
        };
        return (account, Id(row, AccountColumns.ValueOf(AccountColumns.ParentAccount)));
    }

    private static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Raw(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;

    private static Guid? Id(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) ? id : null;
}
