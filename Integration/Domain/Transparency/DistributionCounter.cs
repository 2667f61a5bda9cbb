using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>
/// The audit's distribution (customers and open deals per partner, load against capacity, fairness), counted from
/// accounts and open deals fed one at a time, so a caller that streams the org (`statement --all`) holds only the
/// partners and one count per partner. <see cref="AuditCalculator"/> feeds it its snapshot: one definition of the figures.
/// </summary>
internal sealed class DistributionCounter(ChannelSettings settings)
{
    private readonly List<OrgAccount> _partners = [];
    private readonly Dictionary<Guid, int> _customersPerPartner = [];
    private readonly Dictionary<Guid, (int Deals, decimal Value)> _dealsPerPartner = [];

    /// <summary>Every account read (any state, partners included).</summary>
    public int Accounts { get; private set; }

    /// <summary>Every open deal read.</summary>
    public int OpenDeals { get; private set; }

    public void Add(OrgAccount account)
    {
        Accounts++;
        if (OrgSnapshot.IsPartner(settings, account))
        {
            _partners.Add(account);
        }
        else if (account.IsActive && account.AssignedPartnerId is { } partner)
        {
            _customersPerPartner[partner] = _customersPerPartner.GetValueOrDefault(partner) + 1;
        }
    }

    public void Add(OrgDeal deal)
    {
        OpenDeals++;
        if (deal.PartnerId is { } partner)
        {
            var (deals, value) = _dealsPerPartner.GetValueOrDefault(partner);
            _dealsPerPartner[partner] = (deals + 1, value + (deal.EstimatedValueBase ?? 0m));
        }
    }

    /// <summary>One row per active partner, by name (the audit's order), and the fairness over those with a capacity.</summary>
    public Distribution Finish()
    {
        var partners = _partners
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id)
            .Select(p =>
            {
                var accounts = _customersPerPartner.GetValueOrDefault(p.Id);
                var (deals, value) = _dealsPerPartner.GetValueOrDefault(p.Id);
                decimal? load = p.PartnerCapacity is > 0 and var capacity ? AuditCalculator.Round((decimal)accounts / capacity) : null;
                return new PartnerLoad(p.Id, p.Name, p.PartnerCapacity, accounts, load, deals, value);
            })
            .ToList();
        var loads = partners.Where(p => p.Load is not null).Select(p => p.Load!.Value).ToList();
        var fairness = loads.Count == 0
            ? new Fairness(0, null, null, null, null, 0)
            : new Fairness(
                loads.Count,
                loads.Min(),
                loads.Max(),
                loads.Max() - loads.Min(),
                AuditCalculator.Round(loads.Average()),
                partners.Count(p => p.Capacity is { } cap && p.Accounts > cap));
        return new Distribution(partners, fairness);
    }
}
