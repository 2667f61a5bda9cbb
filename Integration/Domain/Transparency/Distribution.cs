namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>Customers and pipeline per partner against capacity, and how even the load is.</summary>
internal sealed record Distribution(IReadOnlyList<PartnerLoad> Partners, Fairness Fairness);

/// <summary>One partner: assigned customers, open deals through it, and load = customers ÷ capacity (null without a cap).</summary>
internal sealed record PartnerLoad(Guid PartnerId, string Partner, int? Capacity, int Accounts, decimal? Load, int OpenDeals, decimal OpenValue);

/// <summary>
/// Load spread over partners with a capacity: the highest load minus the lowest (0 = perfectly even), the mean,
/// and how many partners are over capacity.
/// </summary>
internal sealed record Fairness(int CappedPartners, decimal? MinLoad, decimal? MaxLoad, decimal? LoadSpread, decimal? MeanLoad, int OverCapacity);
