using PartnerGuard.Plugins.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Testing.Builders.OpportunityBuilder;

namespace PartnerGuard.Plugins.Tests.Plugins;

/// <summary>
/// The platform runs one cached plug-in instance on several threads at once (Learn, "Develop IPlugin
/// implementations as stateless"). One instance, many concurrent saves, one shared cache: every decision
/// must be the one a lone save gets.
/// </summary>
public sealed class ParallelExecutionTests
{
    [Fact]
    public void Execute_OneInstanceOnManyThreads_DecidesEverySaveAlike()
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m);
        var big = org.Account("Big Co", revenue: 3_000_000_000m);
        var partnered = org.Account("Partnered Co", assignedPartner: org.Partner("Assigned Partners"));
        var plugin = new RequirePartnerOnOpportunity();

        var outcomes = new PluginOutcome[200];
        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var target = AnOpportunity().For(i % 2 == 0 ? big : partnered).Build();
            outcomes[i] = org.InvokeDirectly(plugin, PluginSteps.RequirePartnerOnCreate, target);
        });

        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i].AssertSaved();
            Assert.Equal(i % 2 == 0 ? ChannelOptionValues.Direct : ChannelOptionValues.Partner, outcomes[i].Channel);
        }

        // Loads may race when cold, but each cache entry is loaded a handful of times at most, not per save.
        Assert.InRange(org.Service.Calls.Count(l => l == "RetrieveMultiple environmentvariabledefinition"), 1, 8);
        Assert.Equal(outcomes.Length, org.Service.Calls.Count(l => l == "RetrieveMultiple account"));
    }
}
