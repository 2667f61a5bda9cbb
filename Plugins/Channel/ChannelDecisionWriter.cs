using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>Writes a decision onto the Target, so it is saved in the same operation. Never called for a block.</summary>
internal static class ChannelDecisionWriter
{
    public static void Write(Entity target, ChannelDecision decision, DateTime decidedOn)
    {
        // A blocked decision has no channel option: OptionValue refuses it before anything is written.
        target[OpportunityColumns.Channel] = new OptionSetValue(OptionValue(decision.Outcome));
        target[OpportunityColumns.DirectSalesRuleId] = decision.Rule is null ? null : new EntityReference(DirectSalesRuleColumns.Table, decision.Rule.Id);
        target[OpportunityColumns.ChannelReason] = Notices.Fit(decision.Reason);
        target[OpportunityColumns.ChannelDecidedOn] = decidedOn;
        if (decision.AttachPartner is PartnerFacts attached)
        {
            target[OpportunityColumns.PartnerId] = new EntityReference(AccountColumns.Table, attached.AccountId);
        }
    }

    public static int OptionValue(ChannelOutcome outcome) => outcome switch
    {
        ChannelOutcome.Partner => ChannelOptionValues.Partner,
        ChannelOutcome.Direct => ChannelOptionValues.Direct,
        ChannelOutcome.Unresolved => ChannelOptionValues.Unresolved,
        ChannelOutcome.Bypassed => ChannelOptionValues.Bypassed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
