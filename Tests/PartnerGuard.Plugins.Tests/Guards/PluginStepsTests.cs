using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins.Tests.Guards;

/// <summary>The registration contract the solution's drift guard reads: the values the task fixed, in one list.</summary>
public sealed class PluginStepsTests
{
    [Fact]
    public void All_ListsTheFourStepsWithTheAgreedContract()
    {
        Assert.Collection(
            PluginSteps.All,
            step => AssertStep(step, "PartnerGuard.Plugins.RequirePartnerOnOpportunity", "Create", "opportunity", 20, Array.Empty<string>(), null, Array.Empty<string>()),
            step => AssertStep(step, "PartnerGuard.Plugins.RequirePartnerOnOpportunity", "Update", "opportunity", 20,
                new[] { "customerid", "parentaccountid", "pg_partnerid" }, "PreImage",
                new[] { "customerid", "parentaccountid", "pg_partnerid", "estimatedvalue", "estimatedvalue_base", "exchangerate" }),
            step => AssertStep(step, "PartnerGuard.Plugins.ValidateDirectSalesRule", "Create", "pg_directsalesrule", 10, Array.Empty<string>(), null, Array.Empty<string>()),
            step => AssertStep(step, "PartnerGuard.Plugins.ValidateDirectSalesRule", "Update", "pg_directsalesrule", 10,
                new[] { "pg_name", "pg_kind", "pg_measure", "pg_threshold", "pg_countries", "pg_regions", "pg_accountid", "pg_includesubsidiaries", "pg_description", "pg_priority", "pg_effectivefrom", "pg_effectiveto", "statecode" }, "PreImage",
                new[] { "pg_name", "pg_kind", "pg_measure", "pg_threshold", "pg_countries", "pg_regions", "pg_accountid", "pg_includesubsidiaries", "pg_description", "pg_priority", "pg_effectivefrom", "pg_effectiveto", "statecode" }));
    }

    [Fact]
    public void All_NamesOnlyPluginTypesThatExistInTheAssembly()
    {
        foreach (var step in PluginSteps.All)
        {
            var type = typeof(PluginSteps).Assembly.GetType(step.PluginTypeName);
            Assert.NotNull(type);
            Assert.True(typeof(IPlugin).IsAssignableFrom(type), step.PluginTypeName + " is not an IPlugin.");
        }
    }

    private static void AssertStep(ExpectedStep step, string type, string message, string table, int stage, string[] filtering, string? alias, string[] imageColumns)
    {
        Assert.Equal(type, step.PluginTypeName);
        Assert.Equal(message, step.Message);
        Assert.Equal(table, step.PrimaryEntity);
        Assert.Equal(stage, step.Stage);
        Assert.Equal(0, step.Mode);
        Assert.Equal(filtering, step.FilteringAttributes);
        Assert.Equal(alias, step.PreImageAlias);
        Assert.Equal(imageColumns, step.PreImageColumns);
    }
}
