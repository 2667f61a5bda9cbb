using System.Globalization;
using System.Text.Json;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Plugins.Policy;
using PluginOpportunity = PartnerGuard.Plugins.OpportunityColumns;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>Opportunity columns the reports read (DESIGN §2); PartnerGuard's own from the plugin's schema names.</summary>
internal static class DealColumns
{
    public const string Table = PluginOpportunity.Table;
    public const string Id = "opportunityid";
    public const string Name = "name";
    public const string Customer = PluginOpportunity.CustomerId;
    public const string ParentAccount = PluginOpportunity.ParentAccountId;
    public const string EstimatedValueBase = PluginOpportunity.EstimatedValueBase;
    public const string Partner = PluginOpportunity.PartnerId;
    public const string Channel = PluginOpportunity.Channel;
    public const string Rule = PluginOpportunity.DirectSalesRuleId;
    public const string Reason = PluginOpportunity.ChannelReason;
    public const string DecidedOn = PluginOpportunity.ChannelDecidedOn;
    public const string CreatedOn = "createdon";
    public const string StateCode = "statecode";
}

/// <summary>Reassignment run columns (DESIGN §2).</summary>
internal static class RunColumns
{
    public const string Table = "pg_reassignmentrun";
    public const string Name = "pg_name";
    public const string StartedOn = "pg_startedon";
    public const string FinishedOn = "pg_finishedon";
    public const string Status = "pg_status";
    public const string Planned = "pg_planned";
    public const string Applied = "pg_applied";
    public const string Failed = "pg_failed";
    public const string Undone = "pg_undone";
}

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
        var settings = await ReadSettingsAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Problem is not null)
        {
            throw new Domain.UsageException($"The PartnerGuard settings in Dataverse cannot be used: {settings.Problem}");
        }

        var rules = await ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var accounts = await ReadAccountsAsync(cancellationToken).ConfigureAwait(false);
        var deals = await ReadOpenDealsAsync(cancellationToken).ConfigureAwait(false);
        var runs = await ReadRunsAsync(cancellationToken).ConfigureAwait(false);
        return new OrgSnapshot(accounts, deals, rules, settings, now, runs);
    }

    /// <summary>The PartnerGuard environment variables, read as every console command reads them.</summary>
    public Task<ChannelSettings> ReadSettingsAsync(CancellationToken cancellationToken) =>
        SettingsReader.ReadAsync(_client, cancellationToken);

    /// <summary>Every direct sales rule, active and inactive, with the named account's name for the document.</summary>
    public async Task<List<DirectSalesRuleDraft>> ReadRulesAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = DirectSalesRuleColumns.Select;
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

    private async Task<List<OrgAccount>> ReadAccountsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = string.Join(",",
            AccountColumns.Id, AccountColumns.Name, AccountColumns.Country, AccountColumns.StateOrProvince, AccountColumns.RevenueBase,
            AccountColumns.Employees, AccountColumns.ValueOf(AccountColumns.ParentAccount), AccountColumns.ValueOf(AccountColumns.AssignedPartner),
            AccountColumns.AssignedOn, AccountColumns.RelationshipType, AccountColumns.StateCode, AccountColumns.PartnerCapacity);
        var accounts = new List<OrgAccount>();
        await foreach (var account in _client.QueryAsync($"{set}?$select={select}&$orderby={AccountColumns.Id}", ReadAccount, cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(account);
        }

        return accounts;
    }

    private async Task<List<OrgDeal>> ReadOpenDealsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DealColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = string.Join(",",
            DealColumns.Id, DealColumns.Name, AccountColumns.ValueOf(DealColumns.Customer), AccountColumns.ValueOf(DealColumns.ParentAccount),
            DealColumns.EstimatedValueBase, AccountColumns.ValueOf(DealColumns.Partner), DealColumns.Channel,
            AccountColumns.ValueOf(DealColumns.Rule), DealColumns.Reason, DealColumns.DecidedOn, DealColumns.CreatedOn);
        var deals = new List<(OrgDeal Deal, Guid? Customer, string? CustomerTable, Guid? Parent)>();
        await foreach (var row in _client.QueryAsync(
            $"{set}?$select={select}&$filter={DealColumns.StateCode} eq 0&$orderby={DealColumns.Id}",
            ReadDeal,
            cancellationToken,
            DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
        {
            deals.Add(row);
        }

        var contacts = deals.Where(d => d.Customer is not null && d.CustomerTable == "contact" && d.Parent is null).Select(d => d.Customer!.Value).ToHashSet();
        var contactAccounts = await ReadContactAccountsAsync(contacts, cancellationToken).ConfigureAwait(false);
        return deals.Select(d => d.Deal with
        {
            // The plugin's resolution (DESIGN §1): customer when an account, else parent account, else the contact's account.
            CustomerAccountId = d.CustomerTable == "account" ? d.Customer
                : d.Parent ?? (d.Customer is { } c && contactAccounts.TryGetValue(c, out var a) ? a : null),
        }).ToList();
    }

    private async Task<Dictionary<Guid, Guid>> ReadContactAccountsAsync(HashSet<Guid> contacts, CancellationToken cancellationToken)
    {
        var result = new Dictionary<Guid, Guid>();
        if (contacts.Count == 0)
        {
            return result;
        }

        var set = await _client.GetEntitySetNameAsync("contact", cancellationToken).ConfigureAwait(false);
        var parent = AccountColumns.ValueOf("parentcustomerid");
        await foreach (var (id, account) in _client.QueryAsync(
            $"{set}?$select=contactid,{parent}&$filter={parent} ne null",
            row => (row.GetProperty("contactid").GetGuid(), Text(row, parent + Annotations.LookupLogicalName) == "account" ? Id(row, parent) : null),
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

    private async Task<List<OrgRun>> ReadRunsAsync(CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(RunColumns.Table, cancellationToken).ConfigureAwait(false);
        var select = string.Join(",", RunColumns.Name, RunColumns.StartedOn, RunColumns.FinishedOn, RunColumns.Status, RunColumns.Planned, RunColumns.Applied, RunColumns.Failed, RunColumns.Undone);
        var runs = new List<OrgRun>();
        await foreach (var run in _client.QueryAsync($"{set}?$select={select}", row => new OrgRun(Text(row, RunColumns.Name) ?? string.Empty)
        {
            StartedOn = Date(row, RunColumns.StartedOn),
            FinishedOn = Date(row, RunColumns.FinishedOn),
            Status = Int(row, RunColumns.Status) is { } s && Enum.IsDefined(typeof(RunStatus), s) ? (RunStatus)s : null,
            Planned = Int(row, RunColumns.Planned) ?? 0,
            Applied = Int(row, RunColumns.Applied) ?? 0,
            Failed = Int(row, RunColumns.Failed) ?? 0,
            Undone = Int(row, RunColumns.Undone) ?? 0,
        }, cancellationToken).ConfigureAwait(false))
        {
            runs.Add(run);
        }

        return runs;
    }

    private static OrgAccount ReadAccount(JsonElement row) => new(row.GetProperty(AccountColumns.Id).GetGuid(), Text(row, AccountColumns.Name) ?? string.Empty)
    {
        Country = Text(row, AccountColumns.Country),
        StateOrProvince = Text(row, AccountColumns.StateOrProvince),
        AnnualRevenueBase = Decimal(row, AccountColumns.RevenueBase),
        Employees = Int(row, AccountColumns.Employees),
        ParentId = Id(row, AccountColumns.ValueOf(AccountColumns.ParentAccount)),
        AssignedPartnerId = Id(row, AccountColumns.ValueOf(AccountColumns.AssignedPartner)),
        AssignedOn = Date(row, AccountColumns.AssignedOn),
        RelationshipType = Int(row, AccountColumns.RelationshipType),
        IsActive = Int(row, AccountColumns.StateCode) is null or 0,
        PartnerCapacity = Int(row, AccountColumns.PartnerCapacity),
    };

    private static (OrgDeal Deal, Guid? Customer, string? CustomerTable, Guid? Parent) ReadDeal(JsonElement row)
    {
        var customer = AccountColumns.ValueOf(DealColumns.Customer);
        var deal = new OrgDeal(row.GetProperty(DealColumns.Id).GetGuid(), Text(row, DealColumns.Name) ?? string.Empty)
        {
            PartnerId = Id(row, AccountColumns.ValueOf(DealColumns.Partner)),
            EstimatedValueBase = Decimal(row, DealColumns.EstimatedValueBase),
            Channel = Int(row, DealColumns.Channel) switch
            {
                PartnerGuard.Plugins.ChannelOptionValues.Partner => ChannelOutcome.Partner,
                PartnerGuard.Plugins.ChannelOptionValues.Direct => ChannelOutcome.Direct,
                PartnerGuard.Plugins.ChannelOptionValues.Unresolved => ChannelOutcome.Unresolved,
                PartnerGuard.Plugins.ChannelOptionValues.Bypassed => ChannelOutcome.Bypassed,
                _ => null,
            },
            RuleId = Id(row, AccountColumns.ValueOf(DealColumns.Rule)),
            Reason = Text(row, DealColumns.Reason),
            DecidedOn = Date(row, DealColumns.DecidedOn),
            CreatedOn = Date(row, DealColumns.CreatedOn),
        };
        var table = Text(row, customer + Annotations.LookupLogicalName);
        return (deal, Id(row, customer), table, Id(row, AccountColumns.ValueOf(DealColumns.ParentAccount)));
    }
}
