using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Transparency;

/// <summary>
/// Asks the channel policy the plugin uses (<see cref="ChannelPolicy.Decide"/>) the questions the reports need,
/// for one rule set: what a deal's next save would decide, and whether a rule covers a deal or a customer
/// without a partner. Blocking decisions are asked in Enforce mode so "would be blocked" is explicit.
/// </summary>
internal sealed class RuleLens
{
    private readonly OrgSnapshot _org;
    private readonly ChannelSettings _save;
    private readonly ChannelSettings _coverage;

    public RuleLens(OrgSnapshot org, CompiledRuleSet rules)
    {
        if (rules.Problem is not null)
        {
            throw new Domain.UsageException($"The direct sales rules cannot be used: {rules.Problem}");
        }

        _org = org;
        Rules = rules;
        _save = org.Settings with { Mode = EnforcementMode.Enforce };
        // The coverage question ignores partners: does a published rule cover this deal or customer by itself?
        _coverage = org.Settings with { Mode = EnforcementMode.Enforce, AutoAttachAssignedPartner = false };
    }

    public CompiledRuleSet Rules { get; }

    /// <summary>The decision a save of the deal as stored would get now (auto-attach as the org is set).</summary>
    public ChannelDecision DecideSave(OrgDeal deal) => ChannelPolicy.Decide(_org.DealFacts(deal), Rules, _save, _org.Now);

    /// <summary>The rule that covers the deal when it has no partner, or null.</summary>
    public ChannelDecision? CoverDeal(OrgDeal deal)
    {
        var facts = _org.DealFacts(deal);
        var decision = ChannelPolicy.Decide(facts with { Deal = facts.Deal with { Partner = null }, Customer = facts.Customer is null ? null : facts.Customer with { AssignedPartner = null } }, Rules, _coverage, _org.Now);
        return decision.Outcome == ChannelOutcome.Direct ? decision : null;
    }

    /// <summary>The rule that covers any deal of the customer (deal-size rules never match here), or null.</summary>
    public ChannelDecision? CoverCustomer(OrgAccount account)
    {
        var customer = _org.CustomerFacts(account.Id)! with { AssignedPartner = null };
        var decision = ChannelPolicy.Decide(new ChannelFacts(customer, PartnerGuard.Policy.DealFacts.None), Rules, _coverage, _org.Now);
        return decision.Outcome == ChannelOutcome.Direct ? decision : null;
    }

    /// <summary>
    /// In the reassignment pool: an active customer (not a partner) with no assigned partner that no rule
    /// covers — the accounts `plan` would pick from.
    /// </summary>
    public bool InReassignmentPool(OrgAccount account) =>
        account.IsActive && !_org.IsPartner(account) && account.AssignedPartnerId is null && CoverCustomer(account) is null;

    /// <summary>Compiles the stored active rules (inactive ones are left out, invalid active ones make the set unusable).</summary>
    public static RuleLens ForStoredRules(OrgSnapshot org) => new(org, CompiledRuleSet.FromDrafts(org.Rules));
}
