using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Plugins.Tests.Builders;

namespace PartnerGuard.Plugins.Tests.Plugins;

public sealed class ValidateDirectSalesRuleTests
{
    private static Entity ARuleRow(Guid? id = null) => new("pg_directsalesrule", id ?? Guid.NewGuid());

    private static Entity AGeographyRule(Guid id) => new("pg_directsalesrule", id)
    {
        ["pg_name"] = "DACH",
        ["pg_kind"] = new OptionSetValue((int)DirectSalesRuleKind.Geography),
        ["pg_countries"] = "DE, AT, CH",
        ["pg_priority"] = 10,
        ["pg_includesubsidiaries"] = false,
    };

    [Fact]
    public void Create_ConsistentRule_IsSavedWithoutAnyServiceCall()
    {
        var org = new TestOrg();
        var row = ARuleRow();
        row["pg_name"] = "Enterprise";
        row["pg_kind"] = new OptionSetValue((int)DirectSalesRuleKind.CustomerSizeAbove);
        row["pg_measure"] = new OptionSetValue((int)SizeMeasure.AnnualRevenue);
        row["pg_threshold"] = 1_000_000_000m;
        row["pg_priority"] = 1;

        var outcome = org.Run(PluginSteps.ValidateRuleOnCreate, row, null);

        outcome.AssertSaved();
        Assert.Equal(0, outcome.Calls);
    }

    [Fact]
    public void Create_InconsistentRule_IsRejectedNamingEachField()
    {
        var org = new TestOrg();
        var row = ARuleRow();
        row["pg_name"] = "Small";
        row["pg_kind"] = new OptionSetValue((int)DirectSalesRuleKind.CustomerSizeBelow);
        row["pg_threshold"] = 50m;
        row["pg_countries"] = "DE";
        row["pg_priority"] = 1;

        var outcome = org.Run(PluginSteps.ValidateRuleOnCreate, row, null);

        Assert.Equal(
            "This direct sales rule can't be saved. Measure is required for a 'Customer size below' rule. Countries does not apply to a 'Customer size below' rule; clear it. (PartnerGuard PG-910)",
            outcome.Error?.Message);
    }

    [Fact]
    public void Create_UnknownKindOptionValue_IsRejected()
    {
        var org = new TestOrg();
        var row = ARuleRow();
        row["pg_name"] = "Odd";
        row["pg_kind"] = new OptionSetValue(723100099);
        row["pg_priority"] = 1;

        var outcome = org.Run(PluginSteps.ValidateRuleOnCreate, row, null);

        Assert.Contains("Kind '723100099' is not one of", outcome.Error?.Message);
    }

    [Fact]
    public void Update_ChangeMergedOverPreImage_IsValidatedAsAWhole()
    {
        var org = new TestOrg();
        var id = Guid.NewGuid();
        var change = ARuleRow(id);
        change["pg_threshold"] = 100m;

        var outcome = org.Run(PluginSteps.ValidateRuleOnUpdate, change, AGeographyRule(id));

        Assert.Equal("This direct sales rule can't be saved. Threshold does not apply to a 'Geography' rule; clear it. (PartnerGuard PG-910)", outcome.Error?.Message);
    }

    [Fact]
    public void Update_ClearingARequiredField_IsRejected()
    {
        var org = new TestOrg();
        var id = Guid.NewGuid();
        var change = ARuleRow(id);
        change["pg_countries"] = null;

        var outcome = org.Run(PluginSteps.ValidateRuleOnUpdate, change, AGeographyRule(id));

        Assert.Equal("This direct sales rule can't be saved. Countries is required for a 'Geography' rule. (PartnerGuard PG-910)", outcome.Error?.Message);
    }

    [Fact]
    public void Update_UnrelatedChangeToAValidRule_IsSaved()
    {
        var org = new TestOrg();
        var id = Guid.NewGuid();
        var change = ARuleRow(id);
        change["pg_description"] = "Served by our DACH field team.";

        org.Run(PluginSteps.ValidateRuleOnUpdate, change, AGeographyRule(id)).AssertSaved();
    }

    [Fact]
    public void Update_DeactivatingAnInconsistentRule_IsAllowed()
    {
        var org = new TestOrg();
        var id = Guid.NewGuid();
        var broken = AGeographyRule(id);
        broken["pg_countries"] = "Narnia";
        var change = ARuleRow(id);
        change["statecode"] = new OptionSetValue(1);

        org.Run(PluginSteps.ValidateRuleOnUpdate, change, broken).AssertSaved();
    }

    // Dataverse routes a state change through Update, so the step filters on statecode (DirectSalesRuleColumns
    // .ValidatedColumns): activating a broken rule reaches the validation through the solution's own registration.
    [Fact]
    public void Update_ActivatingAnInconsistentRule_IsRejected()
    {
        var org = new TestOrg();
        var id = Guid.NewGuid();
        var broken = AGeographyRule(id);
        broken["pg_countries"] = "Narnia";
        broken["statecode"] = new OptionSetValue(1);
        var change = ARuleRow(id);
        change["statecode"] = new OptionSetValue(0);

        var outcome = org.Run(PluginSteps.ValidateRuleOnUpdate, change, broken);

        Assert.EndsWith("(PartnerGuard PG-910)", outcome.Error?.Message);
    }

    [Theory]
    [InlineData("Create", 20)]
    [InlineData("Create", 40)]
    [InlineData("Delete", 10)]
    public void Execute_RegisteredForAnotherEvent_RefusesWithPG901(string message, int stage)
    {
        var org = new TestOrg();

        var outcome = org.RunRegisteredAs(new ValidateDirectSalesRule(), message, "pg_directsalesrule", stage, 0, AGeographyRule(Guid.NewGuid()));

        Assert.StartsWith("PartnerGuard's direct sales rule check is registered for an event it was not built for", outcome.Error?.Message);
        Assert.EndsWith("(PartnerGuard PG-901)", outcome.Error?.Message);
    }
}
