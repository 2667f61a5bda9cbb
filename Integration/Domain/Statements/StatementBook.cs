using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>
/// Builds partner statements one partner at a time, in memory that does not grow with the org: the book holds what
/// every statement shares (the rules, settings, runs and "now" of the org it is given, the audit's distribution as
/// <see cref="DistributionCounter"/> counted it, the customers lost from the journals), and <see cref="For"/> takes one
/// partner's slice of the org (its customers, the open deals that name it or belong to its customers, and the accounts
/// those name), so `--all` reads, writes and drops one slice before reading the next.
/// </summary>
internal sealed class StatementBook
{
    /// <summary>Why Dataverse alone cannot say which customers a partner lost.</summary>
    public const string DataverseLimit =
        "Dataverse keeps only each customer's current partner, the date it was assigned (pg_partnerassignedon) and the run that "
        + "assigned it (pg_assignmentrun); a later wave or an undo overwrites all three, and a run record (pg_reassignmentrun) holds counts, not accounts.";

    private readonly OrgSnapshot _org;
    private readonly Distribution _distribution;
    private readonly Dictionary<Guid, PartnerLoad> _loads;
    private readonly Dictionary<Guid, string> _ruleNames;
    private readonly Dictionary<string, OrgRun> _runs;
    private readonly DateOnly? _since;
    private readonly IReadOnlyDictionary<Guid, List<LostCustomer>> _lost;
    private readonly string _history;
    private readonly string _rulesVersion;

    /// <param name="org">The rules, settings, runs and "now" every statement shares; its accounts and deals are not read here.</param>
    /// <param name="distribution">The audit's distribution for the whole org.</param>
    /// <param name="lost">Customers lost, by partner, from the run journals (<see cref="JournalHistory"/>); <paramref name="journals"/> files were read.</param>
    public StatementBook(OrgSnapshot org, Distribution distribution, DateOnly? since, IReadOnlyDictionary<Guid, List<LostCustomer>>? lost = null, int journals = 0)
    {
        _org = org;
        _distribution = distribution;
        _since = since;
        _lost = lost ?? new Dictionary<Guid, List<LostCustomer>>();
        _rulesVersion = RulesPublisher.Stamp(org.Rules, org.Settings);
        _history = journals > 0
            ? $"Customers lost come from the {journals} run journal{(journals == 1 ? string.Empty : "s")} of the job that wrote this statement (--journal-dir); runs journalled on another machine are not included. " + DataverseLimit
            : "Customers lost are not listed: no run journal was found (--journal-dir). " + DataverseLimit + " The runs of the period are listed with how many accounts each undid.";
        _loads = distribution.Partners.ToDictionary(p => p.PartnerId);
        _ruleNames = AuditCalculator.RuleNames(org);
        _runs = org.Runs.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The active partners, in the audit's order (by name).</summary>
    public IReadOnlyList<PartnerLoad> Partners => _distribution.Partners;

    /// <summary>The partner's row; null when the id is not an active partner.</summary>
    public PartnerLoad? Find(Guid id) => _loads.GetValueOrDefault(id);

    /// <summary>The usage error for an id that has no statement: <paramref name="account"/> is the account read for it, if any.</summary>
    public static UsageException NotAPartner(Guid id, OrgAccount? account) =>
        new(account is not null
            ? $"'{account.Name}' ({id:D}) is not an active partner (its relationship type is not a partner type, or it is inactive)."
            : $"No account {id:D} was found.");

    /// <summary>Accounts the partner's statement names from the journals: the customers it lost and the partners that took them.</summary>
    public IEnumerable<Guid> AccountsInHistory(Guid partner) =>
        (_lost.GetValueOrDefault(partner) ?? []).SelectMany(l => l.NewPartnerId is { } to ? new[] { l.CustomerId, to } : [l.CustomerId]);

    /// <summary>
    /// One partner's statement from its slice of the org: every account that is its customer, and every open deal that
    /// names it or whose customer is one of them, with the accounts those deals and <see cref="AccountsInHistory"/> name
    /// (more is harmless; less leaves names out).
    /// </summary>
    public PartnerStatement For(PartnerLoad partner, OrgSnapshot slice)
    {
        var since = _since?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        bool InPeriod(DateTime? day) => since is null || (day is { } d && d >= since.Value);

        var customers = slice.Customers().Where(c => c.AssignedPartnerId == partner.PartnerId)
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id)
            .Select(c => new StatementCustomer(c.Id, c.Name, c.Country, c.AssignedOn, c.AssignmentRun,
                c.AssignmentRun is { } run && _runs.TryGetValue(run, out var r) ? r.Strategy : null, InPeriod(c.AssignedOn)))
            .ToList();

        var lost = (_lost.GetValueOrDefault(partner.PartnerId) ?? [])
            .Where(l => InPeriod(l.At?.UtcDateTime))
            .OrderBy(l => l.At).ThenBy(l => l.CustomerId)
            .Select(l => new StatementLostCustomer(
                l.CustomerId,
                slice.Account(l.CustomerId)?.Name,
                l.NewPartnerId is { } to ? slice.Account(to)?.Name ?? to.ToString("D") : null,
                l.Run,
                l.Operation == "undo" ? $"Run {l.Run} was undone" : l.NewPartnerId is null ? $"Run {l.Run} removed the partner" : $"Run {l.Run} reassigned the customer",
                l.At?.UtcDateTime))
            .ToList();

        var namingPartner = slice.OpenDeals.Where(d => d.PartnerId == partner.PartnerId).ToList();
        var deals = namingPartner
            .Select(d => new StatementDeal(d.Id, d.Name, slice.Account(d.CustomerAccountId)?.Name, d.Channel?.ToString() ?? AuditCalculator.NotDecided,
                d.EstimatedValueBase ?? 0m, slice.Account(d.CustomerAccountId)?.AssignedPartnerId == partner.PartnerId, d.Reason))
            .OrderByDescending(d => d.Value).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id)
            .ToList();

        var dealsOfCustomer = slice.OpenDeals.Where(d => d.CustomerAccountId is not null).ToLookup(d => d.CustomerAccountId!.Value);
        var ownDeals = customers.SelectMany(c => dealsOfCustomer[c.Id]).ToList();
        var direct = ownDeals
            .Where(d => d.Channel == ChannelOutcome.Direct && InPeriod(d.DecidedOn ?? d.CreatedOn))
            .Select(d => new StatementDirectDeal(d.Id, d.Name, slice.Account(d.CustomerAccountId)?.Name, d.EstimatedValueBase ?? 0m, d.RuleId,
                d.RuleId is { } id && _ruleNames.TryGetValue(id, out var name) ? name : "(rule not found)", d.DecidedOn))
            .OrderByDescending(d => d.Value).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id)
            .ToList();

        // The audit's conflict test, on every deal that names the partner or belongs to one of its customers.
        var conflicts = namingPartner.Concat(ownDeals)
            .DistinctBy(d => d.Id)
            .Select(d => AuditCalculator.ConflictOf(slice, d))
            .OfType<ConflictDeal>()
            .OrderByDescending(c => c.Value).ThenBy(c => c.Deal, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.DealId)
            .ToList();

        var runs = _org.Runs
            .Where(r => InPeriod(r.FinishedOn ?? r.StartedOn))
            .OrderBy(r => r.StartedOn ?? DateTime.MaxValue).ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new StatementRun(r.Name, r.Status?.ToString() ?? "Unknown", r.Strategy, r.StartedOn, r.FinishedOn,
                customers.Count(c => c.Run == r.Name), r.Undone))
            .ToList();

        return new PartnerStatement(
            PartnerStatement.FormatName,
            _org.Now,
            _rulesVersion,
            new StatementPeriod(_since, _org.Now),
            new StatementPartner(partner.PartnerId, partner.Partner, partner.Capacity),
            new StatementTotals(
                partner.Accounts,
                customers.Count(c => c.InPeriod),
                lost.Count,
                partner.Load,
                partner.OpenDeals,
                partner.OpenValue,
                direct.Count,
                direct.Sum(d => d.Value),
                conflicts.Count,
                conflicts.Sum(c => c.Value)),
            _distribution.Fairness,
            customers,
            lost,
            deals,
            direct,
            conflicts,
            runs,
            RuleChanges(),
            _history);
    }

    /// <summary>Active rules whose start or end day falls in the period (from --since, else from any day, to today).</summary>
    private List<StatementRuleChange> RuleChanges()
    {
        var from = _since?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) ?? DateTime.MinValue;
        var today = _org.Now.Date;
        var changes = new List<StatementRuleChange>();
        foreach (var rule in RulesDocument.Order(_org.Rules.Where(r => r.IsActive)))
        {
            var name = rule.Name ?? "(unnamed rule)";
            if (rule.EffectiveFrom is { } start && start.Date >= from && start.Date <= today)
            {
                changes.Add(new StatementRuleChange(rule.Id, name, "Started", RulesDocument.Day(start)));
            }

            if (rule.EffectiveTo is { } end && end.Date >= from && end.Date < today)
            {
                changes.Add(new StatementRuleChange(rule.Id, name, "Expired (last day)", RulesDocument.Day(end)));
            }
        }

        return changes;
    }
}
