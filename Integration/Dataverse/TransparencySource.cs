using System.Globalization;
using System.Text.Json;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy;
using PluginOpportunity = PartnerGuard.Policy.Schema.OpportunityColumns;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Reads what the audit, the simulation and the rules commands need over the Web API, page by page:
/// settings (by the planning source, parsed by the plugin's parser), all direct sales rules, accounts,
/// open opportunities with the customer resolved as the plugin resolves it, and reassignment runs.
/// </summary>
internal sealed class TransparencySource
{
    private readonly DataverseWebApiClient _client;

    public TransparencySource(DataverseWebApiClient client)
    {
        _client = client;
    }

    public async Task<OrgSnapshot> ReadAsync(DateTime now, CancellationToken cancellationToken)
    {
        var settings = await ReadUsableSettingsAsync(cancellationToken).ConfigureAwait(false);
        var rules = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var accounts = await ReadAccountsAsync(cancellationToken).ConfigureAwait(false);
        var deals = await ReadOpenDealsAsync(cancellationToken).ConfigureAwait(false);
        var runs = await ReadRunsAsync(cancellationToken).ConfigureAwait(false);
        return new OrgSnapshot(accounts, deals, rules, settings, now, runs);
    }

    /// <summary>The settings, or a usage error when they cannot be used.</summary>
    public async Task<ChannelSettings> ReadUsableSettingsAsync(CancellationToken cancellationToken)
    {
        var settings = await ReadSettingsAsync(cancellationToken).ConfigureAwait(false);
        return settings.Problem is null
            ? settings
            : throw new Domain.UsageException($"The PartnerGuard settings in Dataverse cannot be used: {settings.Problem}");
    }

    /// <summary>The PartnerGuard environment variables, read as every console command reads them.</summary>
    public Task<ChannelSettings> ReadSettingsAsync(CancellationToken cancellationToken) =>
        SettingsReader.ReadAsync(_client, cancellationToken);

    /// <summary>Every direct sales rule, active and inactive, with the named account's name for the document.</summary>
    public async Task<List<DirectSalesRuleDraft>> ReadRulesAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = DirectSalesRuleRows.Select;
        var rules = new List<DirectSalesRuleDraft>();
        await foreach (var rule in _client.QueryAsync($"{set}?$select={select}&$orderby={DirectSalesRuleColumns.Id}", DirectSalesRuleRows.Read, cancellationToken).ConfigureAwait(false))
        {
            rules.Add(rule);
        }

        var accountSet = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].AccountId is { } account)
            {
                var row = await _client.RetrieveAsync(accountSet, account, AccountColumns.Name, cancellationToken).ConfigureAwait(false);
                rules[i] = rules[i] with { AccountName = row?[AccountColumns.Name]?.GetValue<string>() };
            }
        }

        return rules;
    }

    /// <summary>The newest <c>modifiedon</c> among the direct sales rules (any state), or null when there are none.</summary>
    public async Task<DateTime?> ReadNewestRuleModificationAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        DateTime? newest = null;
        await foreach (var modified in _client.QueryAsync($"{set}?$select={DirectSalesRuleColumns.ModifiedOn}", row => Date(row, DirectSalesRuleColumns.ModifiedOn), cancellationToken).ConfigureAwait(false))
        {
            if (modified is { } value && (newest is null || value > newest))
            {
                newest = value;
            }
        }

        return newest;
    }

    private async Task<List<OrgAccount>> ReadAccountsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var accounts = new List<OrgAccount>();
        await foreach (var account in _client.QueryAsync($"{set}?$select={AccountSelect}&$orderby={AccountColumns.Id}", ReadAccount, cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(account);
        }

        return accounts;
    }

    private async Task<List<OrgDeal>> ReadOpenDealsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(PluginOpportunity.Table, cancellationToken).ConfigureAwait(false);
        var deals = new List<DealRow>();
        await foreach (var row in _client.QueryAsync(
            $"{set}?$select={DealSelect}&$filter={PluginOpportunity.StateCode} eq 0&$orderby={PluginOpportunity.Id}",
            ReadDeal,
            cancellationToken,
            DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
        {
            deals.Add(row);
        }

        var contactAccounts = await ReadContactAccountsAsync(ContactsToResolve(deals), cancellationToken).ConfigureAwait(false);
        return deals.Select(d => Resolve(d, contactAccounts)).ToList();
    }

    /// <summary>The account columns every transparency command reads (<see cref="ReadAccount"/>).</summary>
    internal static readonly string AccountSelect = string.Join(",",
        AccountColumns.Id, AccountColumns.Name, AccountColumns.Country, AccountColumns.StateOrProvince, AccountColumns.RevenueBase,
        AccountColumns.NumberOfEmployees, WebApiRow.ValueOf(AccountColumns.ParentAccountId), WebApiRow.ValueOf(AccountColumns.AssignedPartnerId),
        AccountColumns.PartnerAssignedOn, AccountColumns.AssignmentRun, AccountColumns.RelationshipType, AccountColumns.StateCode, AccountColumns.PartnerCapacity);

    /// <summary>The opportunity columns every transparency command reads (<see cref="ReadDeal"/>; ask for <see cref="DataverseWebApiClient.LookupTableAnnotation"/>).</summary>
    internal static readonly string DealSelect = string.Join(",",
        PluginOpportunity.Id, PluginOpportunity.Name, WebApiRow.ValueOf(PluginOpportunity.CustomerId), WebApiRow.ValueOf(PluginOpportunity.ParentAccountId),
        PluginOpportunity.EstimatedValueBase, WebApiRow.ValueOf(PluginOpportunity.PartnerId), PluginOpportunity.Channel,
        WebApiRow.ValueOf(PluginOpportunity.DirectSalesRuleId), PluginOpportunity.ChannelReason, PluginOpportunity.ChannelDecidedOn, PluginOpportunity.CreatedOn);

    /// <summary>The contacts whose account must be read to resolve these deals' customers (a contact customer without a parent account).</summary>
    internal static HashSet<Guid> ContactsToResolve(IEnumerable<DealRow> deals) =>
        deals.Where(d => d.Customer is not null && d.CustomerTable == ContactColumns.Table && d.Parent is null).Select(d => d.Customer!.Value).ToHashSet();

    /// <summary>The plugin's resolution (DESIGN §1): customer when an account, else parent account, else the contact's account.</summary>
    internal static OrgDeal Resolve(DealRow d, IReadOnlyDictionary<Guid, Guid> contactAccounts) => d.Deal with
    {
        CustomerAccountId = d.CustomerTable == AccountColumns.Table ? d.Customer
            : d.Parent ?? (d.Customer is { } c && contactAccounts.TryGetValue(c, out var a) ? a : null),
    };

    private async Task<Dictionary<Guid, Guid>> ReadContactAccountsAsync(HashSet<Guid> contacts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, Guid>();
        if (contacts.Count == 0)
        {
            return result;
        }

        var set = await _client.GetEntitySetNameAsync(ContactColumns.Table, cancellationToken).ConfigureAwait(false);
        var parent = WebApiRow.ValueOf(ContactColumns.ParentCustomerId);
        await foreach (var (id, account) in _client.QueryAsync(
            $"{set}?$select={ContactSelect}&$filter={parent} ne null",
            ReadContactAccount,
            cancellationToken,
            DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
        {
            if (contacts.Contains(id) && account is { } value)
            {
                result[id] = value;
            }
        }

        return result;
    }

    /// <summary>Every reassignment run row.</summary>
    public async Task<List<OrgRun>> ReadRunsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(ReassignmentRunColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = string.Join(",", ReassignmentRunColumns.Name, ReassignmentRunColumns.StartedOn, ReassignmentRunColumns.FinishedOn, ReassignmentRunColumns.Status, ReassignmentRunColumns.Strategy, ReassignmentRunColumns.Planned, ReassignmentRunColumns.Applied, ReassignmentRunColumns.Failed, ReassignmentRunColumns.Undone);
        var runs = new List<OrgRun>();
        await foreach (var run in _client.QueryAsync($"{set}?$select={select}", row => new OrgRun(Text(row, ReassignmentRunColumns.Name) ?? string.Empty)
        {
            StartedOn = Date(row, ReassignmentRunColumns.StartedOn),
            FinishedOn = Date(row, ReassignmentRunColumns.FinishedOn),
            Status = Int(row, ReassignmentRunColumns.Status) is { } s && Enum.IsDefined(typeof(RunStatus), s) ? (RunStatus)s : null,
            Strategy = Text(row, ReassignmentRunColumns.Strategy),
            Planned = Int(row, ReassignmentRunColumns.Planned) ?? 0,
            Applied = Int(row, ReassignmentRunColumns.Applied) ?? 0,
            Failed = Int(row, ReassignmentRunColumns.Failed) ?? 0,
            Undone = Int(row, ReassignmentRunColumns.Undone) ?? 0,
        }, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        return runs;
    }

    /// <summary>The contact columns the customer resolution reads (<see cref="ReadContactAccount"/>; ask for <see cref="DataverseWebApiClient.LookupTableAnnotation"/>).</summary>
    internal static readonly string ContactSelect = $"{ContactColumns.Id},{WebApiRow.ValueOf(ContactColumns.ParentCustomerId)}";

    /// <summary>A contact and its account (its parent customer when that is an account).</summary>
    internal static (Guid Contact, Guid? Account) ReadContactAccount(JsonElement row)
    {
        var parent = WebApiRow.ValueOf(ContactColumns.ParentCustomerId);
        return (row.GetProperty(ContactColumns.Id).GetGuid(), Text(row, parent + Annotations.LookupLogicalName) == AccountColumns.Table ? Id(row, parent) : null);
    }

    internal static OrgAccount ReadAccount(JsonElement row) => new(row.GetProperty(AccountColumns.Id).GetGuid(), Text(row, AccountColumns.Name) ?? string.Empty)
    {
        Country = Text(row, AccountColumns.Country),
        StateOrProvince = Text(row, AccountColumns.StateOrProvince),
        AnnualRevenueBase = Decimal(row, AccountColumns.RevenueBase),
        Employees = Int(row, AccountColumns.NumberOfEmployees),
        ParentId = Id(row, WebApiRow.ValueOf(AccountColumns.ParentAccountId)),
        AssignedPartnerId = Id(row, WebApiRow.ValueOf(AccountColumns.AssignedPartnerId)),
        AssignedOn = Date(row, AccountColumns.PartnerAssignedOn),
        AssignmentRun = Text(row, AccountColumns.AssignmentRun),
        RelationshipType = Int(row, AccountColumns.RelationshipType),
        IsActive = Int(row, AccountColumns.StateCode) is null or 0,
        PartnerCapacity = Int(row, AccountColumns.PartnerCapacity),
    };

    internal static DealRow ReadDeal(JsonElement row)
    {
        var customer = WebApiRow.ValueOf(PluginOpportunity.CustomerId);
        var deal = new OrgDeal(row.GetProperty(PluginOpportunity.Id).GetGuid(), Text(row, PluginOpportunity.Name) ?? string.Empty)
        {
            PartnerId = Id(row, WebApiRow.ValueOf(PluginOpportunity.PartnerId)),
            EstimatedValueBase = Decimal(row, PluginOpportunity.EstimatedValueBase),
            Channel = Int(row, PluginOpportunity.Channel) switch
            {
                PartnerGuard.Policy.Schema.ChannelOptionValues.Partner => ChannelOutcome.Partner,
                PartnerGuard.Policy.Schema.ChannelOptionValues.Direct => ChannelOutcome.Direct,
                PartnerGuard.Policy.Schema.ChannelOptionValues.Unresolved => ChannelOutcome.Unresolved,
                PartnerGuard.Policy.Schema.ChannelOptionValues.Bypassed => ChannelOutcome.Bypassed,
                _ => null,
            },
            RuleId = Id(row, WebApiRow.ValueOf(PluginOpportunity.DirectSalesRuleId)),
            Reason = Text(row, PluginOpportunity.ChannelReason),
            DecidedOn = Date(row, PluginOpportunity.ChannelDecidedOn),
            CreatedOn = Date(row, PluginOpportunity.CreatedOn),
        };
        var table = Text(row, customer + Annotations.LookupLogicalName);
        return new DealRow(deal, Id(row, customer), table, Id(row, WebApiRow.ValueOf(PluginOpportunity.ParentAccountId)));
    }
}

/// <summary>An open deal as read, before its customer account is resolved: the customer lookup, its table, the parent account.</summary>
internal sealed record DealRow(OrgDeal Deal, Guid? Customer, string? CustomerTable, Guid? Parent);
