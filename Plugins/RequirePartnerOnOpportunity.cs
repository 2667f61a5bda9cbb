using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;

namespace PartnerGuard.Plugins;

/// <summary>
/// Every deal has a partner, unless a published direct sales rule covers it (DESIGN §1). Runs synchronously
/// in PreOperation on Create and on Update of any deal column a decision reads: customer, parent account,
/// partner, estimated value or currency (<see cref="PluginSteps"/>); records the decision on the opportunity in the same operation, or refuses
/// the save with a catalogued message. A thin adapter: the decision itself is <see cref="ChannelPolicy"/>.
/// </summary>
public sealed class RequirePartnerOnOpportunity : PluginBase
{
    private const string Check = "opportunity partner check";

    public RequirePartnerOnOpportunity()
        : base(nameof(RequirePartnerOnOpportunity), Check)
    {
    }

    /// <summary>The constructor the platform calls with a step's configuration; PartnerGuard uses none.</summary>
    public RequirePartnerOnOpportunity(string unsecureConfiguration, string secureConfiguration)
        : this()
    {
    }

    private protected override void Run(PluginRun run)
    {
        var step = run.RequireStep(PluginSteps.RequirePartnerOnCreate, PluginSteps.RequirePartnerOnUpdate);
        var target = run.Target();
        var state = new RecordState(target, run.PreImage(step));
        var service = run.SystemService();
        var organizationId = run.Context.OrganizationId;

        var facts = ChannelFactsReader.Read(service, state);
        var settings = PolicyCache.Shared.Settings(organizationId, run.Now, () => ReadOrFailClosed(run, () => ConfigurationReader.ReadSettings(service), Notices.SettingsUnreadable));
        var rules = ChannelPolicy.NeedsRules(facts, settings)
            ? PolicyCache.Shared.Rules(organizationId, run.Now, () => ReadOrFailClosed(run, () => ConfigurationReader.ReadRules(service), Notices.RulesUnreadable))
            : CompiledRuleSet.Empty;
        if (rules.ReadsDealValue)
        {
            facts = ChannelFactsReader.WithBaseValue(facts, state, currency => PolicyCache.Shared.ExchangeRate(
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

        if (decision.IsBlocked)
        {
            // A blocked decision always carries its catalogued message.
            throw new InvalidPluginExecutionException(decision.Message!);
        }

        ChannelDecisionWriter.Write(target, decision, run.Now);
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
