using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>
/// An account as the transparency reports see it: the customer facts the channel policy reads, the assigned
/// partner, and for partners their capacity. Read from Dataverse, or built by tests.
/// </summary>
internal sealed record OrgAccount(Guid Id, string Name)
{
    public string? Country { get; init; }

    public string? StateOrProvince { get; init; }

    public decimal? AnnualRevenueBase { get; init; }

    public int? Employees { get; init; }

    /// <summary>Parent accounts, nearest first (filled by <see cref="OrgSnapshot"/> from <see cref="ParentId"/>).</summary>
    public Guid? ParentId { get; init; }

    public Guid? AssignedPartnerId { get; init; }

    /// <summary>When the partner was assigned (<c>pg_partnerassignedon</c>).</summary>
    public DateTime? AssignedOn { get; init; }

    /// <summary>The run that assigned the partner (<c>pg_assignmentrun</c>), when a console run did.</summary>
    public string? AssignmentRun { get; init; }

    /// <summary>The account's relationship type (<c>customertypecode</c>).</summary>
    public int? RelationshipType { get; init; }

    public bool IsActive { get; init; } = true;

    /// <summary>Max customers a partner takes (<c>pg_partnercapacity</c>); null = no cap.</summary>
    public int? PartnerCapacity { get; init; }
}

/// <summary>An open opportunity with its recorded channel decision (DESIGN §2).</summary>
internal sealed record OrgDeal(Guid Id, string Name)
{
    /// <summary>The customer account resolved as the plugin resolves it (customer, else parent account, else the contact's account).</summary>
    public Guid? CustomerAccountId { get; init; }

    public Guid? PartnerId { get; init; }

    public decimal? EstimatedValueBase { get; init; }

    /// <summary>The recorded <c>pg_channel</c>; null when no decision was recorded (created before PartnerGuard).</summary>
    public ChannelOutcome? Channel { get; init; }

    public Guid? RuleId { get; init; }

    public string? Reason { get; init; }

    public DateTime? DecidedOn { get; init; }

    public DateTime? CreatedOn { get; init; }
}

/// <summary>A reassignment run row (<c>pg_reassignmentrun</c>).</summary>
internal sealed record OrgRun(string Name)
{
    public DateTime? StartedOn { get; init; }

    public DateTime? FinishedOn { get; init; }

    public RunStatus? Status { get; init; }

    /// <summary>The run's strategy (<c>pg_strategy</c>: mapping, territory, balanced).</summary>
    public string? Strategy { get; init; }

    public int Planned { get; init; }

    public int Applied { get; init; }

    public int Failed { get; init; }

    public int Undone { get; init; }
}

/// <summary>The options of <c>pg_reassignmentrun.pg_status</c>.</summary>
internal enum RunStatus
{
    Planned = 723100000,
    Running = 723100001,
    Completed = 723100002,
    CompletedWithFailures = 723100003,
    Failed = 723100004,
    Interrupted = 723100005,
    Undone = 723100006,
}

/// <summary>
/// Everything the audit and the simulation compute from: the org's active accounts, open deals, runs, all
/// direct sales rules (active and inactive, as stored), the settings and "now". Plain data, no I/O.
/// </summary>
internal sealed class OrgSnapshot
{
    private readonly Dictionary<Guid, OrgAccount> _accounts;

    public OrgSnapshot(
        IReadOnlyList<OrgAccount> accounts,
        IReadOnlyList<OrgDeal> openDeals,
        IReadOnlyList<DirectSalesRuleDraft> rules,
        ChannelSettings settings,
        DateTime now,
        IReadOnlyList<OrgRun>? runs = null)
    {
        Accounts = accounts;
        OpenDeals = openDeals;
        Rules = rules;
        Settings = settings;
        Now = now;
        Runs = runs ?? [];
        _accounts = accounts.ToDictionary(a => a.Id);
    }

    public IReadOnlyList<OrgAccount> Accounts { get; }

    public IReadOnlyList<OrgDeal> OpenDeals { get; }

    /// <summary>Every stored rule, active or not, as drafts (the form the plugin validates).</summary>
    public IReadOnlyList<DirectSalesRuleDraft> Rules { get; }

    public ChannelSettings Settings { get; }

    public DateTime Now { get; }

    public IReadOnlyList<OrgRun> Runs { get; }

    public OrgAccount? Account(Guid? id) => id is { } value && _accounts.TryGetValue(value, out var account) ? account : null;

    /// <summary>An active account whose relationship type is a partner type.</summary>
    public bool IsPartner(OrgAccount account) => IsPartner(Settings, account);

    /// <inheritdoc cref="IsPartner(OrgAccount)"/>
    public static bool IsPartner(ChannelSettings settings, OrgAccount account) =>
        account.IsActive && account.RelationshipType is { } type && settings.IsPartnerRelationshipType(type);

    /// <summary>Active partners, by name.</summary>
    public IEnumerable<OrgAccount> Partners() =>
        Accounts.Where(IsPartner).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id);

    /// <summary>Active accounts that are not partners: the customers.</summary>
    public IEnumerable<OrgAccount> Customers() => Accounts.Where(a => a.IsActive && !IsPartner(a));

    /// <summary>The policy's view of a partner reference; an id not among the accounts read is a missing partner.</summary>
    public PartnerFacts? PartnerFacts(Guid? id)
    {
        if (id is null)
        {
            return null;
        }

        return Account(id) is { } partner
            ? new PartnerFacts(partner.Id, partner.Name, partner.RelationshipType, partner.IsActive)
            : PartnerGuard.Policy.PartnerFacts.Missing(id.Value);
    }

    /// <summary>The customer facts the plugin would read for this account.</summary>
    public CustomerFacts? CustomerFacts(Guid? accountId)
    {
        if (Account(accountId) is not { } account)
        {
            return null;
        }

        return new CustomerFacts(account.Id, account.Name)
        {
            AnnualRevenueBase = account.AnnualRevenueBase,
            Employees = account.Employees,
            Country = account.Country,
            StateOrProvince = account.StateOrProvince,
            AncestorAccountIds = Ancestors(account),
            AssignedPartner = PartnerFacts(account.AssignedPartnerId),
            RelationshipType = account.RelationshipType,
            IsActive = account.IsActive,
        };
    }

    /// <summary>The facts of a deal as stored now.</summary>
    public ChannelFacts DealFacts(OrgDeal deal) =>
        new(CustomerFacts(deal.CustomerAccountId), new DealFacts(PartnerFacts(deal.PartnerId), deal.EstimatedValueBase));

    private List<Guid> Ancestors(OrgAccount account)
    {
        var chain = new List<Guid>();
        var seen = new HashSet<Guid> { account.Id };
        var current = account;
        while (current.ParentId is { } parent && seen.Add(parent))
        {
            chain.Add(parent);
            if (Account(parent) is not { } next)
            {
                break;
            }

            current = next;
        }

        return chain;
    }
}
