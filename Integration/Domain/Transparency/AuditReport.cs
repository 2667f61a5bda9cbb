namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>The figures of `partnerguard audit` (DESIGN §6), computed by <see cref="AuditCalculator"/>.</summary>
internal sealed record AuditReport(
    DateTime GeneratedOn,
    string EnforcementMode,
    Coverage Coverage,
    Leakage Leakage,
    Conflicts Conflicts,
    Distribution Distribution,
    Progress Progress);

/// <summary>A count of deals and their estimated value (base currency).</summary>
internal sealed record Tally(int Deals, decimal Value)
{
    public static Tally Of(IEnumerable<OrgDeal> deals)
    {
        var count = 0;
        var value = 0m;
        foreach (var deal in deals)
        {
            count++;
            value += deal.EstimatedValueBase ?? 0m;
        }

        return new Tally(count, value);
    }
}
