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
        var decision = ChannelDecider.Decide(run, state, run.SystemService());

        if (decision.IsBlocked)
        {
            // A blocked decision always carries its catalogued message.
            throw new InvalidPluginExecutionException(decision.Message!);
        }

        ChannelDecisionWriter.Write(target, decision, run.Now);
    }
}
