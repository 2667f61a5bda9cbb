namespace PartnerGuard.Policy;

/// <summary>
/// The result of <see cref="ChannelPolicy.Decide"/>: what to record on the deal, or what to tell the seller.
/// </summary>
public sealed record ChannelDecision
{
    internal ChannelDecision(ChannelOutcome outcome, string reason)
    {
        Outcome = outcome;
        Reason = reason;
    }

    public ChannelOutcome Outcome { get; }

    /// <summary>
    /// The catalogued code (PG-001..PG-004, PG-900) for Blocked, Unresolved and Bypassed outcomes: the code
    /// the save was, or would have been, blocked with. Null for Partner and Direct.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>The direct sales rule applied (Direct only).</summary>
    public DirectSalesRule? Rule { get; init; }

    /// <summary>The partner the deal goes through (Partner only): named on the deal or attached.</summary>
    public PartnerFacts? Partner { get; init; }

    /// <summary>The partner to write onto the deal because it was attached automatically (auto-attach), else null.</summary>
    public PartnerFacts? AttachPartner { get; init; }

    /// <summary>The one plain sentence recorded on the deal.</summary>
    public string Reason { get; }

    /// <summary>The catalogued message shown to the user when <see cref="Outcome"/> is Blocked; else null.</summary>
    public string? Message { get; init; }

    /// <summary>The principal who bypassed the guard (Bypassed only).</summary>
    public Guid? BypassedBy { get; init; }

    public bool IsBlocked => Outcome == ChannelOutcome.Blocked;
}
