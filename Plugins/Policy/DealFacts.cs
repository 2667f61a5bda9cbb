namespace PartnerGuard.Policy;

/// <summary>What the decision knows about the deal itself.</summary>
/// <param name="Partner">The partner named on the deal, or null when none is named.</param>
/// <param name="EstimatedValueBase">The estimated value in base currency, or null when unknown.</param>
public sealed record DealFacts(PartnerFacts? Partner, decimal? EstimatedValueBase)
{
    public static DealFacts None { get; } = new(null, null);
}
