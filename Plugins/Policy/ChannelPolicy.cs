namespace PartnerGuard.Policy;

/// <summary>
/// The channel decision of DESIGN §1, as a pure function: facts, rules, settings and "now" in, a
/// decision out. No SDK, no I/O, no clock.
/// </summary>
public static class ChannelPolicy
{
    /// <summary>
    /// Decides the channel of a deal:
    /// (1) the customer account is resolved by the caller into <see cref="ChannelFacts.Customer"/>;
    /// (2) a partner named on the deal must be an active partner (PG-002), not the customer (PG-003), and
    ///     not conflict with the customer's assigned partner unless the conflict policy allows it (PG-004);
    /// (3) with no partner named, the customer's active assigned partner is attached (when auto-attach is on);
    /// (4) else the first matching active direct sales rule (lowest priority, then name) makes it Direct;
    /// (5) else PG-001. Steps that would block record Unresolved instead in Audit mode.
    /// Bad settings fail closed with PG-900; bad rules do too, when the decision needs them (step 4).
    /// </summary>
    public static ChannelDecision Decide(ChannelFacts facts, CompiledRuleSet rules, ChannelSettings settings, DateTime now)
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        if (rules is null)
        {
            throw new ArgumentNullException(nameof(rules));
        }

        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        if (settings.Problem is not null)
        {
            return Stop(settings, ChannelCodes.Misconfigured, Notices.Misconfigured(settings.Problem));
        }

        var customer = facts.Customer;
        var named = facts.Deal.Partner;
        var assigned = customer?.AssignedPartner;

        // Step 2: the deal names a partner.
        if (named is not null)
        {
            if (customer is not null && named.AccountId == customer.AccountId)
            {
                return Stop(settings, ChannelCodes.PartnerIsCustomer, Notices.PartnerIsCustomer(named, customer));
            }

            if (!named.IsActivePartner(settings))
            {
                return Stop(settings, ChannelCodes.PartnerNotActive, Notices.PartnerNotActive(named));
            }

            if (assigned is not null && assigned.AccountId != named.AccountId && assigned.IsActivePartner(settings))
            {
                if (settings.ConflictPolicy == ConflictPolicy.Block)
                {
                    return Stop(settings, ChannelCodes.ChannelConflict, Notices.ChannelConflict(customer!, assigned, named));
                }

                return new ChannelDecision(ChannelOutcome.Partner, Notices.PartnerConflictAllowedReason(named, assigned)) { Partner = named };
            }

            return new ChannelDecision(ChannelOutcome.Partner, Notices.PartnerNamedReason(named)) { Partner = named };
        }

        // Step 3: no partner named; attach the customer's assigned partner.
        if (assigned is not null && settings.AutoAttachAssignedPartner && assigned.IsActivePartner(settings))
        {
            return new ChannelDecision(ChannelOutcome.Partner, Notices.PartnerAttachedReason(assigned, customer!))
            {
                Partner = assigned,
                AttachPartner = assigned,
            };
        }

        // Step 4: a direct sales rule covers the deal.
        if (rules.Problem is not null)
        {
            return Stop(settings, ChannelCodes.Misconfigured, Notices.Misconfigured(rules.Problem));
        }

        var state = default(MatchState);
        var match = rules.FindMatch(facts, now, ref state);
        if (match is not null)
        {
            return new ChannelDecision(ChannelOutcome.Direct, Notices.DirectReason(match, facts, ref state)) { Rule = match.Rule };
        }

        // Step 5: nothing allows the deal.
        return Stop(settings, ChannelCodes.NoPartner, Notices.NoPartner(customer));
    }

    /// <summary>
    /// Whether <see cref="Decide"/> will consult the rules for these facts and settings (step 4). When it
    /// returns false, the decision is the same for any rule set, so a caller may skip loading the rules.
    /// </summary>
    public static bool NeedsRules(ChannelFacts facts, ChannelSettings settings)
    {
        if (facts is null)
        {
            throw new ArgumentNullException(nameof(facts));
        }

        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        if (settings.Problem is not null || facts.Deal.Partner is not null)
        {
            return false;
        }

        var assigned = facts.Customer?.AssignedPartner;
        return !(assigned is not null && settings.AutoAttachAssignedPartner && assigned.IsActivePartner(settings));
    }

    /// <summary>Whether a blocked decision may be bypassed: deal-level blocks may, configuration errors (PG-900) may not.</summary>
    public static bool CanBypass(ChannelDecision decision) =>
        decision is not null && decision.IsBlocked && decision.Code != ChannelCodes.Misconfigured;

    /// <summary>
    /// Turns a blocked decision into Bypassed for a principal an admin named explicitly (a member of the
    /// bypass team). The reason records who and what would have blocked the save.
    /// </summary>
    public static ChannelDecision Bypass(ChannelDecision decision, Guid principalId)
    {
        if (decision is null)
        {
            throw new ArgumentNullException(nameof(decision));
        }

        if (!CanBypass(decision))
        {
            throw new InvalidOperationException("Only a decision blocked for a deal-level reason can be bypassed; this one is " + decision.Outcome + " " + decision.Code + ".");
        }

        return new ChannelDecision(ChannelOutcome.Bypassed, Notices.BypassedReason(principalId, decision.Message ?? decision.Reason))
        {
            Code = decision.Code,
            BypassedBy = principalId,
        };
    }

    private static ChannelDecision Stop(ChannelSettings settings, string code, string message)
    {
        if (settings.Mode == EnforcementMode.Enforce)
        {
            return new ChannelDecision(ChannelOutcome.Blocked, message) { Code = code, Message = message };
        }

        return new ChannelDecision(ChannelOutcome.Unresolved, Notices.AuditReason(message)) { Code = code };
    }
}
