using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Statements;

/// <summary>
/// Builds partner statements from the audit's snapshot and the audit's own figures: the org is read once
/// (<c>TransparencySource</c>), <see cref="AuditCalculator.Compute"/> runs once, then one pass indexes customers and
/// deals by partner (references to the snapshot's records, nothing copied), and <see cref="For"/> builds one
/// partner's statement at a time, so `--all` writes and drops each before building the next.
/// </summary>
internal sealed class StatementBook
{
    /// <summary>Why Dataverse alone cannot say which customers a partner lost.</summary>
    public const string DataverseLimit =
        "Dataverse keeps only each customer's current partner, the date it was assigned (pg_partnerassignedon) and the run that "
        + "assigned it (pg_assignmentrun); a later wave or an undo overwrites all three, and a run record (pg_reassignmentrun) holds counts, not accounts.";

    private readonly OrgSnapshot _org;
    private readonly Dictionary<Guid, List<OrgAccount>> _customers = [];
    private readonly Dictionary<Guid, List<OrgDeal>> _dealsNamingPartner = [];
    private readonly Dictionary<Guid, List<OrgDeal>> _dealsOfCustomer = [];
    private readonly Dictionary<Guid, PartnerLoad> _loads;
    private readonly Dictionary<Guid, string> _ruleNames;
    private readonly Dictionary<string, OrgRun> _runs;
    private readonly DateOnly? _since;
    private readonly IReadOnlyDictionary<Guid, List<LostCustomer>> _lost;
    private readonly string _history;
    private readonly string _rulesVersion;

    /// <param name="lost">Customers lost, by partner, from the run journals (<see cref="JournalHistory"/>); <paramref name="journals"/> files were read.</param>
    public StatementBook(OrgSnapshot org, AuditReport audit, DateOnly? since, IReadOnlyDictionary<Guid, List<LostCustomer>>? lost = null, int journals = 0)
    {
        _org = org;
        _since = since;
        _lost = lost ?? new Dictionary<Guid, List<LostCustomer>>();
        _rulesVersion = RulesPublisher.Stamp(org.Rules, org.Settings);
        _history = journals > 0
            ? $"Customers lost come from the {journals} run journal{(journals == 1 ? string.Empty : "s")} of the job that wrote this statement (--journal-dir); runs journalled on another machine are not included. " + DataverseLimit
            : "Customers lost are not listed: no run journal was found (--journal-dir). " + DataverseLimit + " The runs of the period are listed with how many accounts each undid.";
        Audit = audit;
        _loads = audit.Distribution.Partners.ToDictionary(p => p.PartnerId);
        _ruleNames = AuditCalculator.RuleNames(org);
        _runs = org.Runs.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var customer in org.Customers())
        {
            if (customer.AssignedPartnerId is { } partner && _loads.ContainsKey(partner))
            {
                Add(_customers, partner, customer);
            }
        }

        foreach (var deal in org.OpenDeals)
        {
            if (deal.PartnerId is { } partner)
            {
                Add(_dealsNamingPartner, partner, deal);
            }

            if (deal.CustomerAccountId is { } customer)
            {
                Add(_dealsOfCustomer, customer, deal);
            }
        }
    }

    public AuditReport Audit { get; }

    /// <summary>The active partners, in the audit's order (by name).</summary>
    public IReadOnlyList<PartnerLoad> Partners => Audit.Distribution.Partners;

    /// <summary>The partner's row, or a usage error naming why there is no statement for it.</summary>
    public PartnerLoad Partner(Guid id) =>
        _loads.TryGetValue(id, out var load)
            ? load
            : throw new UsageException(_org.Account(id) is { } account
                ? $"'{account.Name}' ({id:D}) is not an active partner (its relationship type is not a partner type, or it is inactive)."
                : $"No account {id:D} was found.");

    public PartnerStatement For(PartnerLoad partner)
    {
        var since = _since?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        bool InPeriod(DateTime? day) => since is null || (day is { } d && d >= since.Value);

        var customers = (_customers.GetValueOrDefault(partner.PartnerId) ?? [])
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id)
            .Select(c => new StatementCustomer(c.Id, c.Name, c.Country, c.AssignedOn, c.AssignmentRun,
                c.AssignmentRun is { } run && _runs.TryGetValue(run, out var r) ? r.Strategy : null, InPeriod(c.AssignedOn)))
            .ToList();

        var lost = (_lost.GetValueOrDefault(partner.PartnerId) ?? [])
            .Where(l => InPeriod(l.At?.UtcDateTime))
            .OrderBy(l => l.At).ThenBy(l => l.CustomerId)
            .Select(l => new StatementLostCustomer(
                l.CustomerId,
                _org.Account(l.CustomerId)?.Name,
                l.NewPartnerId is { } to ? _org.Account(to)?.Name ?? to.ToString("D") : null,
                l.Run,
                l.Operation == "undo" ? $"Run {l.Run} was undone" : l.NewPartnerId is null ? $"Run {l.Run} removed the partner" : $"Run {l.Run} reassigned the customer",
                l.At?.UtcDateTime))
            .ToList();

        var deals = (_dealsNamingPartner.GetValueOrDefault(partner.PartnerId) ?? [])
            .Select(d => new StatementDeal(d.Id, d.Name, _org.Account(d.CustomerAccountId)?.Name, d.Channel?.ToString() ?? AuditCalculator.NotDecided,
                d.EstimatedValueBase ?? 0m, _org.Account(d.CustomerAccountId)?.AssignedPartnerId == partner.PartnerId, d.Reason))
            .OrderByDescending(d => d.Value).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id)
            .ToList();

        var ownDeals = customers.SelectMany(c => _dealsOfCustomer.GetValueOrDefault(c.Id) ?? []).ToList();
        var direct = ownDeals
            .Where(d => d.Channel == ChannelOutcome.Direct && InPeriod(d.DecidedOn ?? d.CreatedOn))
            .Select(d => new StatementDirectDeal(d.Id, d.Name, _org.Account(d.CustomerAccountId)?.Name, d.EstimatedValueBase ?? 0m, d.RuleId,
                d.RuleId is { } id && _ruleNames.TryGetValue(id, out var name) ? name : "(rule not found)", d.DecidedOn))
            .OrderByDescending(d => d.Value).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Id)
            .ToList();

        // The audit's conflict test, on every deal that names the partner or belongs to one of its customers.
        var conflicts = (_dealsNamingPartner.GetValueOrDefault(partner.PartnerId) ?? []).Concat(ownDeals)
            .DistinctBy(d => d.Id)
            .Select(d => AuditCalculator.ConflictOf(_org, d))
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
            Audit.Distribution.Fairness,
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

    private static void Add<T>(Dictionary<Guid, List<T>> index, Guid key, T item)
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index[key] = list;
        }

        list.Add(item);
    }
}
