namespace PartnerGuard.Policy;

/// <summary>Everything the channel decision reads: the deal and its customer account (if any).</summary>
public sealed record ChannelFacts(CustomerFacts? Customer, DealFacts Deal);
