using System.Globalization;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Plans;
using PartnerGuard.Plugins.Policy;

namespace PartnerGuard.Integration.Planning;

/// <summary>
/// Builds a reassignment plan from plain inputs: eligible accounts and active partners. Pure and deterministic:
/// accounts are taken in id order, partners are compared by load and then by id, so the same inputs in any order
/// give the same plan. Steps: eligibility (active, not a partner, no assigned partner, not covered by a direct
/// sales rule) → shard → strategy (mapping, territory, balanced) within capacity and --per-partner-max →
/// --max-accounts. Every planned row carries one sentence of reason; every eligible account left out gets one too.
/// </summary>
internal static class PlanBuilder
{
    public static PlanBuildResult Build(
        IEnumerable<AccountCandidate> accounts,
        IEnumerable<PartnerCandidate> partners,
        PlanSettings settings,
        IDirectSalesCoverage? coverage = null)
    {
        Plan.ValidateRunId(settings.RunId, "--run-id");
        coverage ??= NoDirectSalesRules.Instance;
        if (settings.Strategy == PlanStrategy.Mapping && settings.Mapping is null)
        {
            throw new UsageException("The mapping strategy needs --mapping FILE.");
        }

        var partnerList = partners
            .GroupBy(p => p.Id).Select(g => g.First())
            .OrderBy(p => Key(p.Id), StringComparer.Ordinal)
            .ToList();
        var byId = partnerList.ToDictionary(p => p.Id);
        if (settings.Mapping is { } mapping)
        {
            foreach (var (partner, line) in mapping.Entries.OrderBy(e => e.Line))
            {
                if (!byId.ContainsKey(partner))
                {
                    throw new UsageException($"{mapping.FileName} line {line}, field '{MappingTable.PartnerIdColumn}': {partner:D} is not an active partner account.");
                }
            }
        }

        var loads = partnerList.ToDictionary(p => p.Id, p => new Load(p));
        var defaultWeight = Math.Max(1, partnerList.Select(p => p.Capacity ?? 0).DefaultIfEmpty(0).Max());
        var rows = new List<PlanRow>();
        var unplanned = new List<Unplanned>();
        foreach (var account in accounts.GroupBy(a => a.Id).Select(g => g.First()).OrderBy(a => Key(a.Id), StringComparer.Ordinal))
        {
            if (settings.Shard is { } shard && !shard.Contains(account.Id))
            {
                continue; // another shard's account: not this plan's business, not reported
            }

            if (Ineligible(account, byId, coverage) is { } why)
            {
                unplanned.Add(new Unplanned(account.Id, account.Name, why));
                continue;
            }

            if (settings.MaxAccounts is { } max && rows.Count >= max)
            {
                unplanned.Add(new Unplanned(account.Id, account.Name, $"the wave is full (--max-accounts {max})"));
                continue;
            }

            var (chosen, reason) = settings.Strategy switch
            {
                PlanStrategy.Mapping => ByMapping(account, settings.Mapping!, loads, byId, settings.PerPartnerMax),
                PlanStrategy.Territory => ByTerritory(account, partnerList, loads, settings.PerPartnerMax, defaultWeight),
                _ => Balanced(partnerList, loads, settings.PerPartnerMax, defaultWeight),
            };
            if (chosen is null)
            {
                unplanned.Add(new Unplanned(account.Id, account.Name, reason));
                continue;
            }

            loads[chosen.Id].Planned++;
            rows.Add(new PlanRow(
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

        var plan = new Plan(settings.RunId, settings.CreatedOn, Name(settings.Strategy), Parameters(settings), rows);
        return new PlanBuildResult(plan, unplanned);
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
