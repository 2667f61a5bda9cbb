using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;

namespace PartnerGuard.Plugins;

/// <summary>
/// The decision for one deal as both the guard (<see cref="RequirePartnerOnOpportunity"/>) and the preview
/// (<see cref="CheckChannel"/>) make it: facts from <see cref="ChannelFactsReader"/>, settings and rules from
/// <see cref="PolicyCache"/>, the bypass team, then <see cref="ChannelPolicy.Decide"/>. One implementation, so the
/// preview can never disagree with the save; it writes nothing.
/// </summary>
internal static class ChannelDecider
{
    public static ChannelDecision Decide(PluginRun run, RecordState deal, IOrganizationService service)
    {
        var organizationId = run.Context.OrganizationId;
        var facts = ChannelFactsReader.Read(service, deal);
        var settings = PolicyCache.Shared.Settings(organizationId, run.Now, () => ReadOrFailClosed(run, () => ConfigurationReader.ReadSettings(service), Notices.SettingsUnreadable));
        var rules = ChannelPolicy.NeedsRules(facts, settings)
            ? PolicyCache.Shared.Rules(organizationId, run.Now, () => ReadOrFailClosed(run, () => ConfigurationReader.ReadRules(service), Notices.RulesUnreadable))
            : CompiledRuleSet.Empty;
        if (rules.ReadsDealValue)
        {
            facts = ChannelFactsReader.WithBaseValue(facts, deal, currency => PolicyCache.Shared.ExchangeRate(
                organizationId, currency, run.Now, () => ReadOrFailClosed(run, () => ConfigurationReader.ReadExchangeRate(service, currency), Notices.ExchangeRateUnreadable)));
        }

        var decision = ChannelPolicy.Decide(facts, rules, settings, run.Now);
        var user = run.Context.InitiatingUserId;
        if (ChannelPolicy.CanBypass(decision) && settings.BypassTeamId is Guid team
            && PolicyCache.Shared.IsMember(organizationId, team, user, run.Now, () => ConfigurationReader.IsTeamMember(service, team, user)))
        {
            decision = ChannelPolicy.Bypass(decision, user);
        }

        run.Trace(
            "{0}: decision outcome={1} code={2} rule={3} partner={4} mode={5}",
            run.PluginName, decision.Outcome, decision.Code ?? "-", decision.Rule?.Id.ToString() ?? "-", PartnerSource(decision, facts), settings.Mode);
        return decision;
    }

    /// <summary>
    /// A failed read dooms the platform transaction, so there is no continuing in audit mode: an unreadable
    /// configuration fails closed with PG-900 whatever the mode. The detail goes to the trace, not the user.
    /// </summary>
    private static T ReadOrFailClosed<T>(PluginRun run, Func<T> read, Func<string, string> describe)
    {
        try
        {
            return read();
        }
        catch (Exception exception) when (exception is not InvalidPluginExecutionException)
        {
            run.Trace("{0}: configuration read failed {1}", run.PluginName, exception.ToString());
            throw new InvalidPluginExecutionException(Notices.Misconfigured(describe("the service refused the query; the plug-in trace log has the details")), exception);
        }
    }

    private static string PartnerSource(ChannelDecision decision, ChannelFacts facts) =>
        decision.AttachPartner is not null ? "attached:" + decision.AttachPartner.AccountId
        : facts.Deal.Partner is not null ? "named:" + facts.Deal.Partner.AccountId
        : "none";
}

