namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>Share of open deals and of open pipeline value with a partner; recorded channels; direct deals by rule.</summary>
internal sealed record Coverage(
    Tally Open,
    Tally WithPartner,
    decimal DealShareWithPartner,
    decimal ValueShareWithPartner,
    IReadOnlyList<ChannelTally> ByChannel,
    IReadOnlyList<RuleTally> DirectByRule);

/// <summary>Open deals by recorded channel (Partner, Direct, Unresolved, Bypassed, or Not decided).</summary>
internal sealed record ChannelTally(string Channel, int Deals, decimal Value);

/// <summary>Deals recorded Direct under one rule.</summary>
internal sealed record RuleTally(Guid? RuleId, string Rule, int Deals, decimal Value);
