using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Plugins.Tests.Emulated.EmulatedOrg;

namespace PartnerGuard.Plugins.Tests.Emulated;

/// <summary>
/// Issue #18 item 1, through a seller's Create and Update in the emulator with the solution's registrations.
/// Outside facts relied on: a client sends <c>estimatedvalue</c> and maybe <c>transactioncurrencyid</c>; the platform
/// fills <c>exchangerate</c> and <c>estimatedvalue_base</c> in its main operation, after PreOperation; and
/// "<c>{money}_base = {money} / exchangerate</c>" (Microsoft Learn, "Transaction currency (currency) table",
/// learn.microsoft.com/power-apps/developer/data-platform/transaction-currency-currency-entity).
/// </summary>
public sealed class DealSizeThroughTheEmulatorTests
{
    [Fact]
    public void Create_NoCurrencySent_BaseCurrencyValueAboveTheThreshold_IsDirect()
    {
        var org = Enforcing();
        var rule = org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var customer = org.Account("Contoso Ltd");

        var id = org.Seller.Create(Deal(customer, value: 1_000_000m));

        var stored = org.Stored(id);
        Assert.Equal(ChannelOptionValues.Direct, stored.GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Equal(rule, stored.GetAttributeValue<EntityReference>(OpportunityColumns.DirectSalesRuleId).Id);
        Assert.Equal("Handled direct by rule 'Mega deals' (estimated value 1,000,000 \u2265 1,000,000): Rule Mega deals for the tests.", stored.GetAttributeValue<string>(OpportunityColumns.ChannelReason));
        // The platform (here the emulator) filled the base currency, rate 1 and the base value in its main operation.
        Assert.Equal(1m, stored.GetAttributeValue<decimal>(OpportunityColumns.ExchangeRate));
        Assert.Equal(1_000_000m, stored.GetAttributeValue<Money>(OpportunityColumns.EstimatedValueBase).Value);
    }

    [Fact]
    public void Create_InAnotherCurrency_ConvertsWithItsExchangeRate()
    {
        var org = Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var yen = org.Currency("JPY", 150m);
        var customer = org.Account("Contoso Ltd");

        var id = org.Seller.Create(Deal(customer, value: 150_000_000m, currency: yen));

        var stored = org.Stored(id);
        Assert.Equal(ChannelOptionValues.Direct, stored.GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Equal(150m, stored.GetAttributeValue<decimal>(OpportunityColumns.ExchangeRate));
        Assert.Equal(1_000_000m, stored.GetAttributeValue<Money>(OpportunityColumns.EstimatedValueBase).Value);
    }

    [Fact]
    public void Create_InAnotherCurrency_BelowTheThresholdOnceConverted_IsRefused()
    {
        var org = Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var yen = org.Currency("JPY", 150m);
        var customer = org.Account("Contoso Ltd");

        // 150,000,000 in base currency would be covered; in yen it is 999,999 base.
        var fault = Refused(() => org.Seller.Create(Deal(customer, value: 149_999_850m, currency: yen)));

        Assert.EndsWith("(PartnerGuard PG-001)", fault.Message);
        Assert.Equal(0, org.Org.Count(OpportunityColumns.Table));
    }

    [Fact]
    public void Update_ValueDropsBelowTheThreshold_IsDecidedAgain()
    {
        var org = Auditing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var id = org.Seller.Create(Deal(org.Account("Contoso Ltd"), value: 2_000_000m));
        Assert.Equal(ChannelOptionValues.Direct, org.Stored(id).GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);

        org.Seller.Update(new Entity(OpportunityColumns.Table, id) { [OpportunityColumns.EstimatedValue] = new Money(10_000m) });

        var stored = org.Stored(id);
        Assert.Equal(ChannelOptionValues.Unresolved, stored.GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Null(stored.GetAttributeValue<EntityReference>(OpportunityColumns.DirectSalesRuleId));
    }

    [Fact]
    public void Update_ValueDropsBelowTheThreshold_Enforcing_IsRefused()
    {
        var org = Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var id = org.Seller.Create(Deal(org.Account("Contoso Ltd"), value: 2_000_000m));

        var fault = Refused(() => org.Seller.Update(new Entity(OpportunityColumns.Table, id) { [OpportunityColumns.EstimatedValue] = new Money(10_000m) }));

        Assert.EndsWith("(PartnerGuard PG-001)", fault.Message);
        Assert.Equal(2_000_000m, org.Stored(id).GetAttributeValue<Money>(OpportunityColumns.EstimatedValue).Value);
    }

    [Fact]
    public void Update_CurrencyChangesOnly_IsDecidedAgainWithTheNewRate()
    {
        var org = Auditing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var yen = org.Currency("JPY", 150m);
        var id = org.Seller.Create(Deal(org.Account("Contoso Ltd"), value: 2_000_000m));

        org.Seller.Update(new Entity(OpportunityColumns.Table, id) { [OpportunityColumns.TransactionCurrencyId] = new EntityReference(TransactionCurrencyColumns.Table, yen) });

        var stored = org.Stored(id);
        Assert.Equal(ChannelOptionValues.Unresolved, stored.GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Equal(150m, stored.GetAttributeValue<decimal>(OpportunityColumns.ExchangeRate));
    }

    [Fact]
    public void Update_ValueRisesAboveTheThreshold_InAnotherCurrency_BecomesDirect()
    {
        var org = Auditing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
        var euro = org.Currency("EUR", 0.5m);
        var id = org.Seller.Create(Deal(org.Account("Contoso Ltd"), value: 100m, currency: euro));
        Assert.Equal(ChannelOptionValues.Unresolved, org.Stored(id).GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);

        // 500,000 EUR at 0.5 EUR per base unit is 1,000,000 in base currency.
        org.Seller.Update(new Entity(OpportunityColumns.Table, id) { [OpportunityColumns.EstimatedValue] = new Money(500_000m) });

        var stored = org.Stored(id);
        Assert.Equal(ChannelOptionValues.Direct, stored.GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Equal(1_000_000m, stored.GetAttributeValue<Money>(OpportunityColumns.EstimatedValueBase).Value);
    }

    // Dataverse returns at most 5,000 rows per page and says MoreRecords; the guard reads one page and refuses
    // to decide on part of the rules.
    [Fact]
    public void Create_MoreActiveRulesThanOnePage_FailsClosedWithPG900()
    {
        var org = Enforcing();
        org.Org.Seed(Enumerable.Range(1, 5_001).Select(i => new Entity(DirectSalesRuleColumns.Table)
        {
            ["pg_name"] = "Rule " + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["pg_kind"] = new OptionSetValue((int)DirectSalesRuleKind.DealSizeAbove),
            ["pg_threshold"] = 1_000_000_000m,
            ["pg_priority"] = i,
        }));

        var fault = Refused(() => org.Seller.Create(Deal(org.Account("Contoso Ltd"), value: 10m)));

        Assert.Equal(
            "PartnerGuard can't check this opportunity because it is not configured correctly. The direct sales rules could not be read: there are more active direct sales rules than one page holds (5,000); deactivate the ones no longer used. Ask your Dynamics 365 administrator to correct it. (PartnerGuard PG-900)",
            fault.Message);
    }
}
