using System.Globalization;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>
/// Decides a reassignment plan one account at a time, so planning holds the partners (dozens to thousands) but
/// never the accounts: each account is decided as it arrives and its row goes straight to an <see cref="IPlanSink"/>;
/// accounts left out are counted per reason (<see cref="PlanSummary"/>), not listed. Deterministic: partners are
/// compared by load and then by id (their order of arrival does not matter); accounts are decided in the order the
/// source gives them, which becomes the plan's row order. The Dataverse source reads them with
/// <c>$orderby=accountid</c>, and Dataverse orders uniqueidentifier columns as SQL Server does (not as their text
/// sorts), so the same data gives the same plan because the server gives the same order. Steps per account:
/// shard → eligibility (active, not a partner, no assigned partner, not covered by a direct sales rule) → strategy
/// (mapping, territory, balanced) within capacity and --per-partner-max → --max-accounts. Every planned row carries
/// one sentence of reason; every eligible account left out is counted under one.
/// </summary>
internal static class PlanBuilder
{
    /// <summary>Plans the accounts as the source yields them, page by page (pulled lazily; reading stops once the wave is full, and leaving the loop stops the paging).</summary>
    public static async Task<PlanSummary> BuildAsync(
        IAsyncEnumerable<AccountCandidate> accounts,
        IEnumerable<PartnerCandidate> partners,
        PlanSettings settings,
        IPlanSink sink,
        IDirectSalesCoverage? coverage = null,
        CancellationToken cancellationToken = default)
    {
        var planner = new Planner(partners, settings, coverage);
        if (planner.WaveFull)
        {
            return planner.Summary();
        }

        await foreach (var account in accounts.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            planner.Decide(account, sink);
            if (planner.WaveFull)
            {
                break;
            }
        }

        return planner.Summary();
    }

    /// <summary>The plan's header (run, time, strategy, parameters): written before the first row.</summary>
    public static PlanHeader Header(PlanSettings settings) => new(settings.RunId, settings.CreatedOn, Name(settings.Strategy), Parameters(settings));

    /// <summary>Checks that need neither accounts nor partners, before anything is read or written.</summary>
    public static void Validate(PlanSettings settings)
    {
        Plan.ValidateRunId(settings.RunId, "the plan");
        if (settings.Strategy == PlanStrategy.Mapping && settings.Mapping is null)
        {
            throw new UsageException("The mapping strategy needs a mapping table.");
        }
    }

    public static string Name(PlanStrategy strategy) => strategy.ToString().ToLowerInvariant();

    private static string? Ineligible(AccountCandidate account, Dictionary<Guid, PartnerCandidate> partners, IDirectSalesCoverage coverage)
    {
        if (!account.IsActive)
        {
            return "the account is inactive";
        }

        if (account.IsPartner || partners.ContainsKey(account.Id))
        {
            return "the account is itself a partner";
        }

        if (account.AssignedPartnerId is { } assigned)
        {
            return $"the account already has an assigned partner ({(partners.TryGetValue(assigned, out var p) ? p.Name : assigned.ToString("D"))})";
        }

        return coverage.CoveringRule(account);
    }

    private static (PartnerCandidate? Partner, string Reason) ByMapping(
        AccountCandidate account, MappingTable mapping, Dictionary<Guid, Load> loads, Dictionary<Guid, PartnerCandidate> partners, int? perPartnerMax)
    {
        if (mapping.Find(account.Id, account.AccountNumber) is not { } entry)
        {
            return (null, $"the account is not in {mapping.FileName}");
        }

        var partner = partners[entry.Partner];
        var load = loads[partner.Id];
        if (load.Full(perPartnerMax) is { } full)
        {
            return (null, $"{partner.Name}, named in {mapping.FileName} line {entry.Line}, {full}");
        }

        return (partner, $"{mapping.FileName} line {entry.Line.ToString(CultureInfo.InvariantCulture)} names {partner.Name} for this account.");
    }

    private static (PartnerCandidate? Partner, string Reason) ByTerritory(
        AccountCandidate account, List<PartnerCandidate> partners, Dictionary<Guid, Load> loads, int? perPartnerMax, int defaultWeight)
    {
        var known = CountryNormalizer.TryNormalize(account.Country, out var code);
        var serving = partners
            .Where(p => p.Countries.Count == 0 || (known && p.Countries.Contains(code, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        if (serving.Count == 0)
        {
            return (null, known
                ? $"no active partner serves {code}"
                : $"the account's country '{account.Country ?? string.Empty}' is not recognised and no partner serves any country");
        }

        var open = serving.Where(p => loads[p.Id].Full(perPartnerMax) is null).ToList();
        if (open.Count == 0)
        {
            return (null, $"every partner serving {(known ? code : "any country")} is full");
        }

        var chosen = Lightest(open, loads, defaultWeight);
        var where = known ? code : "any country";
        var scope = chosen.Countries.Count == 0 ? "serves any country" : $"serves {code}";
        return (chosen, $"Territory: {chosen.Name} {scope} and had the lightest load of the {open.Count.ToString(CultureInfo.InvariantCulture)} partner(s) open for {where} ({loads[chosen.Id].Describe()}).");
    }

    private static (PartnerCandidate? Partner, string Reason) Balanced(List<PartnerCandidate> partners, Dictionary<Guid, Load> loads, int? perPartnerMax, int defaultWeight)
    {
        var open = partners.Where(p => loads[p.Id].Full(perPartnerMax) is null).ToList();
        if (open.Count == 0)
        {
            return (null, partners.Count == 0 ? "there is no active partner" : "every partner is full");
        }

        var chosen = Lightest(open, loads, defaultWeight);
        return (chosen, $"Balanced: {chosen.Name} had the lightest load relative to capacity of the {open.Count.ToString(CultureInfo.InvariantCulture)} open partner(s) ({loads[chosen.Id].Describe()}).");
    }

    /// <summary>
    /// Capacity-weighted fair share: the partner whose load after one more account, divided by its weight, is
    /// smallest; ties go to the lowest id. Weight is the capacity; a partner without a cap weighs as much as the
    /// largest capacity among all partners of the plan (or 1 when none has a cap), so uncapped partners are not starved.
    /// </summary>
    private static PartnerCandidate Lightest(List<PartnerCandidate> open, Dictionary<Guid, Load> loads, int defaultWeight)
    {
        PartnerCandidate? best = null;
        long bestNumerator = 0, bestDenominator = 1;
        foreach (var partner in open) // already in id order
        {
            long numerator = loads[partner.Id].Total + 1;
            long denominator = Math.Max(1, partner.Capacity ?? defaultWeight);
            if (best is null || numerator * bestDenominator < bestNumerator * denominator)
            {
                best = partner;
                bestNumerator = numerator;
                bestDenominator = denominator;
            }
        }

        return best!;
    }

    private static IReadOnlyDictionary<string, string> Parameters(PlanSettings settings)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["strategy"] = Name(settings.Strategy) };
        if (settings.MaxAccounts is { } max)
        {
            parameters["max-accounts"] = max.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.PerPartnerMax is { } per)
        {
            parameters["per-partner-max"] = per.ToString(CultureInfo.InvariantCulture);
        }

        if (settings.Shard is { } shard)
        {
            parameters["shard"] = shard.ToString();
        }

        if (settings.Mapping is { } mapping)
        {
            parameters["mapping"] = mapping.FileName;
            parameters["mapping-key"] = mapping.ByAccountNumber ? MappingTable.AccountNumberColumn : MappingTable.AccountIdColumn;
        }

        return parameters;
    }

    private static string Key(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>
    /// The state of one planning: partners and their loads (bounded by the partner count), the id of the last
    /// account seen (a source may repeat an account on consecutive rows, e.g. FetchXML with a link-entity), the
    /// rows written and the counts per reason of accounts left out (bounded: see <see cref="PlanSummary"/>).
    /// </summary>
    private sealed class Planner
    {
        private readonly PlanSettings _settings;
        private readonly IDirectSalesCoverage _coverage;
        private readonly List<PartnerCandidate> _partners;
        private readonly Dictionary<Guid, PartnerCandidate> _byId;
        private readonly Dictionary<Guid, Load> _loads;
        private readonly int _defaultWeight;
        private readonly UnplannedCounts _unplanned = new();
        private readonly HashSet<long> _mappingLinesMatched = [];
        private Guid? _last;
        private int _read;
        private int _rows;

        public Planner(IEnumerable<PartnerCandidate> partners, PlanSettings settings, IDirectSalesCoverage? coverage)
        {
            Validate(settings);
            _settings = settings;
            _coverage = coverage ?? NoDirectSalesRules.Instance;
            _partners = partners
                .GroupBy(p => p.Id).Select(g => g.First())
                .OrderBy(p => Key(p.Id), StringComparer.Ordinal)
                .ToList();
            _byId = _partners.ToDictionary(p => p.Id);
            if (settings.Mapping is { } mapping)
            {
                foreach (var (partner, line) in mapping.Entries.OrderBy(e => e.Line))
                {
                    if (!_byId.ContainsKey(partner))
                    {
                        throw new UsageException($"{mapping.FileName} line {line}, field '{MappingTable.PartnerIdColumn}': {partner:D} is not an active partner account.");
                    }
                }
            }

            _loads = _partners.ToDictionary(p => p.Id, p => new Load(p));
            _defaultWeight = Math.Max(1, _partners.Select(p => p.Capacity ?? 0).DefaultIfEmpty(0).Max());
        }

        /// <summary>True once --max-accounts rows are planned: no later account can be planned, so reading stops.</summary>
        public bool WaveFull => _settings.MaxAccounts is { } max && _rows >= max;

        public void Decide(AccountCandidate account, IPlanSink sink)
        {
            if (_last == account.Id)
            {
                return; // the same account again on the next row: decided once
            }

            _last = account.Id;
            if (_settings.Mapping?.Find(account.Id, account.AccountNumber) is { } mapped)
            {
                _mappingLinesMatched.Add(mapped.Line); // matched, whether or not it is this shard's or gets planned
            }

            if (_settings.Shard is { } shard && !shard.Contains(account.Id))
            {
                return; // another shard's account: not this plan's business, not reported
            }

            _read++;
            if (Ineligible(account, _byId, _coverage) is { } why)
            {
                _unplanned.Add(why);
                return;
            }

            if (WaveFull)
            {
                return; // not reached by Build, which stops reading once the wave is full
            }

            var (chosen, reason) = _settings.Strategy switch
            {
                PlanStrategy.Mapping => ByMapping(account, _settings.Mapping!, _loads, _byId, _settings.PerPartnerMax),
                PlanStrategy.Territory => ByTerritory(account, _partners, _loads, _settings.PerPartnerMax, _defaultWeight),
                _ => Balanced(_partners, _loads, _settings.PerPartnerMax, _defaultWeight),
            };
            if (chosen is null)
            {
                _unplanned.Add(reason);
                return;
            }

            _loads[chosen.Id].Planned++;
            _rows++;
            sink.Write(new PlanRow(
                account.Id,
                account.Name,
                account.AccountNumber,
                account.Country,
                account.OwnerId,
                account.OwnerTable,
                account.AssignedPartnerId,
                chosen.Id,
                chosen.Name,
                reason));
        }

        public PlanSummary Summary() => new(
            _read,
            _rows,
            _loads.Values.Count(l => l.Planned > 0),
            _partners.Count,
            _unplanned.Total,
            _unplanned.ByReason(),
            WaveFull ? _settings.MaxAccounts : null,
            _settings.Mapping is { } mapping && !WaveFull ? mapping.Rows.Where(r => !_mappingLinesMatched.Contains(r.Line)).ToList() : null);
    }

    private sealed class Load(PartnerCandidate partner)
    {
        public int Planned { get; set; }

        public int Total => partner.Assigned + Planned;

        /// <summary>Why the partner cannot take another account in this wave, or null.</summary>
        public string? Full(int? perPartnerMax)
        {
            if (partner.Capacity is { } capacity && Total >= capacity)
            {
                return $"is at capacity ({Total.ToString(CultureInfo.InvariantCulture)} of {capacity.ToString(CultureInfo.InvariantCulture)})";
            }

            if (perPartnerMax is { } max && Planned >= max)
            {
                return $"already has {max.ToString(CultureInfo.InvariantCulture)} in this wave (--per-partner-max)";
            }

            return null;
        }

        public string Describe() => partner.Capacity is { } capacity
            ? $"{Total.ToString(CultureInfo.InvariantCulture)} of capacity {capacity.ToString(CultureInfo.InvariantCulture)} before this one"
            : $"{Total.ToString(CultureInfo.InvariantCulture)} assigned before this one, no cap";
    }
}
