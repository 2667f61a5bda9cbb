using System.Text.RegularExpressions;
using PartnerGuard.Policy.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Policy.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Policy.Tests;

/// <summary>DESIGN §1 "Messages": one catalogue, a stable code at the end, written for the reader who can act.</summary>
public sealed class NoticesTests
{
    public static TheoryData<string, string> EveryStoppingMessage()
    {
        var customer = ACustomer("Contoso Ltd").Build();
        var partner = APartner("Fabrikam Partners");
        return new TheoryData<string, string>
        {
            { ChannelCodes.NoPartner, Notices.NoPartner(customer) },
            { ChannelCodes.NoPartner, Notices.NoPartner(null) },
            { ChannelCodes.PartnerNotActive, Notices.PartnerNotActive(AnInactivePartner()) },
            { ChannelCodes.PartnerNotActive, Notices.PartnerNotActive(PartnerFacts.Missing(TestIds.Named("deleted partner"))) },
            { ChannelCodes.PartnerIsCustomer, Notices.PartnerIsCustomer(partner, customer) },
            { ChannelCodes.ChannelConflict, Notices.ChannelConflict(customer, partner, APartner("Other")) },
            { ChannelCodes.Misconfigured, Notices.Misconfigured(Notices.SettingValueInvalid(SettingNames.ConflictPolicy, "x", "Block or Allow")) },
            { ChannelCodes.WrongRegistration, Notices.WrongRegistration("opportunity check", "Delete", "opportunity", 40, 1) },
            { ChannelCodes.WrongRegistration, Notices.PreImageMissing("opportunity check", "PreImage") },
            { ChannelCodes.Unexpected, Notices.Unexpected(TestIds.Named("correlation")) },
            { ChannelCodes.InvalidRule, Notices.RuleRejected(new[] { new RuleValidationError(DirectSalesRuleField.Name, Notices.RuleFieldRequired(DirectSalesRuleField.Name)) }) },
        };
    }

    [Theory]
    [MemberData(nameof(EveryStoppingMessage))]
    public void Message_EndsWithItsCodeAndHoldsNoInternals(string code, string message)
    {
        Assert.EndsWith("(PartnerGuard " + code + ")", message);
        Assert.DoesNotMatch(new Regex(@"\bpg_|PartnerGuard\.(Plugins|Policy)|Exception|\bat [A-Z]\w+\.|<[a-z/]", RegexOptions.None), message);
        Assert.True(message.Length < 500, "A message should fit a dialog: " + message.Length + " characters.");
    }

    /// <summary>
    /// Each notice a person reads, once, as the whole text they read: the partner and customer name fallbacks, the
    /// admin texts of configuration, registration and unexpected errors, and numbers as they are shown.
    /// </summary>
    public static TheoryData<string, string, string> EveryNoticeText()
    {
        var contoso = ACustomer("Contoso Ltd").Build();
        var unnamedCustomer = new CustomerFacts(TestIds.Named("customer unnamed"), null);
        var fabrikam = APartner("Fabrikam Partners");
        var unnamedPartner = new PartnerFacts(TestIds.Named("partner unnamed"), "  ", 5, IsActive: true);
        var twoProblems = new[]
        {
            Notices.SettingValueInvalid(SettingNames.ConflictPolicy, "Warn", "Block or Allow"),
            Notices.SettingValueInvalid(SettingNames.EnforcementMode, "Enforse", "Audit or Enforce"),
        };
        return new TheoryData<string, string, string>
        {
            {
                "no partner, customer name unreadable",
                Notices.NoPartner(unnamedCustomer),
                "This opportunity needs a partner. Choose one in the Partner field. Direct deals are allowed only for customers covered by a published direct sales rule, and none covers this customer. Ask your channel manager if you think this deal is an exception. (PartnerGuard PG-001)"
            },
            {
                "no partner, no customer",
                Notices.NoPartner(null),
                "This opportunity needs a partner. Choose one in the Partner field. Direct deals are allowed only for customers covered by a published direct sales rule, and a deal without a customer account is covered by none. Ask your channel manager if you think this deal is an exception. (PartnerGuard PG-001)"
            },
            {
                "partner inactive",
                Notices.PartnerNotActive(AnInactivePartner("Old Partners")),
                "Old Partners is not an active partner account, so it can't be the partner on this opportunity. Choose an active partner in the Partner field. (PartnerGuard PG-002)"
            },
            {
                "partner missing",
                Notices.PartnerNotActive(PartnerFacts.Missing(TestIds.Named("deleted partner"), "Gone Partners")),
                "The partner chosen on this opportunity no longer exists or can't be read. Choose an active partner in the Partner field. (PartnerGuard PG-002)"
            },
            {
                "partner is the customer, names differ: the customer's name",
                Notices.PartnerIsCustomer(APartner("Contoso"), contoso),
                "The partner on this opportunity is the customer itself (Contoso Ltd). Choose the partner that sells to this customer in the Partner field. (PartnerGuard PG-003)"
            },
            {
                "partner is the customer, customer name unreadable: the partner's name",
                Notices.PartnerIsCustomer(APartner("Contoso"), unnamedCustomer),
                "The partner on this opportunity is the customer itself (Contoso). Choose the partner that sells to this customer in the Partner field. (PartnerGuard PG-003)"
            },
            {
                "partner is the customer, partner name unreadable",
                Notices.PartnerIsCustomer(PartnerFacts.Missing(contoso.AccountId), contoso),
                "The partner on this opportunity is the customer itself (Contoso Ltd). Choose the partner that sells to this customer in the Partner field. (PartnerGuard PG-003)"
            },
            {
                "conflict, named partner's name unreadable",
                Notices.ChannelConflict(contoso, fabrikam, unnamedPartner),
                "Contoso Ltd is served by its assigned partner Fabrikam Partners, but this opportunity names the chosen partner. Choose Fabrikam Partners in the Partner field, or ask your channel manager to reassign the customer. (PartnerGuard PG-004)"
            },
            {
                "misconfigured, two setting problems",
                Notices.Misconfigured(Notices.SettingsProblem(twoProblems)),
                "PartnerGuard can't check this opportunity because it is not configured correctly. The PartnerGuard setting 'Conflict policy' has the value 'Warn'; it must be Block or Allow. The PartnerGuard setting 'Enforcement mode' has the value 'Enforse'; it must be Audit or Enforce. Ask your Dynamics 365 administrator to correct it. (PartnerGuard PG-900)"
            },
            {
                "settings unreadable",
                Notices.SettingsUnreadable("access denied"),
                "The PartnerGuard settings could not be read: access denied."
            },
            {
                "rules unreadable",
                Notices.RulesUnreadable("access denied"),
                "The direct sales rules could not be read: access denied."
            },
            {
                "exchange rate unreadable",
                Notices.ExchangeRateUnreadable("access denied"),
                "The exchange rate of the opportunity's currency could not be read: access denied."
            },
            {
                "two invalid rules, one without a name",
                CompiledRuleSet.FromDrafts(new[]
                {
                    new DirectSalesRuleDraft { Name = " ", Kind = "DealSizeAbove", Threshold = 1m, Priority = -1 },
                    new DirectSalesRuleDraft { Name = "Nordics", Kind = "Geography", Priority = 1 },
                }).Problem!,
                "The direct sales rule '(no name)' is invalid: Name is required. Priority must be 0 or more; it is -1. The direct sales rule 'Nordics' is invalid: Countries is required for a 'Geography' rule."
            },
            {
                "registered synchronously for the wrong event",
                Notices.WrongRegistration("opportunity check", "Delete", "opportunity", 40, 0),
                "PartnerGuard's opportunity check is registered for an event it was not built for (Delete of opportunity, stage 40, synchronous). Re-import the PartnerGuard solution, or remove the extra step. (PartnerGuard PG-901)"
            },
            {
                "registered asynchronously",
                Notices.WrongRegistration("opportunity check", "Update", "opportunity", 40, 1),
                "PartnerGuard's opportunity check is registered for an event it was not built for (Update of opportunity, stage 40, asynchronous). Re-import the PartnerGuard solution, or remove the extra step. (PartnerGuard PG-901)"
            },
            {
                "pre-image missing",
                Notices.PreImageMissing("opportunity check", "PreImage"),
                "PartnerGuard's opportunity check is registered without its pre-image 'PreImage'. Re-import the PartnerGuard solution to restore it. (PartnerGuard PG-901)"
            },
            {
                "unexpected error",
                Notices.Unexpected(new Guid("0f8fad5b-d9cb-469f-a165-70867728950e")),
                "PartnerGuard could not check this record because of an unexpected error. Ask your Dynamics 365 administrator to look in the plug-in trace log for correlation id 0f8fad5b-d9cb-469f-a165-70867728950e. (PartnerGuard PG-902)"
            },
            {
                "threshold in thousands",
                Notices.RuleThresholdNotPositive(DirectSalesRuleKind.DealSizeAbove, -1_500_000m),
                "Threshold must be 0 or more; it is -1,500,000."
            },
            {
                "threshold with decimals, in thousands",
                Notices.RuleThresholdNotWhole(1234.5m),
                "Threshold must be a whole number of employees; it is 1,234.5."
            },
        };
    }

    [Theory]
    [MemberData(nameof(EveryNoticeText))]
    public void Notice_ReadsAsWritten(string why, string notice, string expected)
    {
        Assert.False(string.IsNullOrEmpty(why));
        Assert.Equal(expected, notice);
    }

    [Theory]
    [InlineData(DirectSalesRuleField.Name, "Name")]
    [InlineData(DirectSalesRuleField.Kind, "Kind")]
    [InlineData(DirectSalesRuleField.Measure, "Measure")]
    [InlineData(DirectSalesRuleField.Threshold, "Threshold")]
    [InlineData(DirectSalesRuleField.Countries, "Countries")]
    [InlineData(DirectSalesRuleField.Regions, "States/provinces")]
    [InlineData(DirectSalesRuleField.Account, "Account")]
    [InlineData(DirectSalesRuleField.IncludeSubsidiaries, "Include subsidiaries")]
    [InlineData(DirectSalesRuleField.Description, "Description")]
    [InlineData(DirectSalesRuleField.Priority, "Priority")]
    [InlineData(DirectSalesRuleField.EffectiveFrom, "Effective from")]
    [InlineData(DirectSalesRuleField.EffectiveTo, "Effective to")]
    public void FieldDisplayName_IsTheLabelOnTheRuleForm(DirectSalesRuleField field, string label)
    {
        Assert.Equal(label, Notices.FieldDisplayName(field));
    }

    [Fact]
    public void Fit_ReasonOfExactlyTheColumnLength_IsKeptWhole()
    {
        var reason = new string('x', Notices.ReasonMaxLength);

        Assert.Equal(reason, Notices.Fit(reason));
    }

    [Fact]
    public void Fit_LongReason_IsCutToTheColumnLengthWithAnEllipsis()
    {
        var fitted = Notices.Fit(new string('x', 2500));

        Assert.Equal(Notices.ReasonMaxLength, fitted.Length);
        Assert.EndsWith("\u2026", fitted);
        Assert.Equal("short", Notices.Fit("short"));
    }

    [Fact]
    public void ChannelConflict_CustomerNameUnreadable_SentenceStillStartsWithACapital()
    {
        var message = Notices.ChannelConflict(ACustomer(" ").Build(), APartner("Fabrikam Partners"), APartner("Other"));

        Assert.StartsWith("This customer is served by its assigned partner Fabrikam Partners, but this opportunity names Other.", message);
    }

    [Fact]
    public void PartnerNotActive_PartnerNameUnreadable_SentenceStillStartsWithACapital()
    {
        var message = Notices.PartnerNotActive(new PartnerFacts(TestIds.Named("unnamed inactive partner"), null, 5, IsActive: false));

        Assert.StartsWith("The chosen partner is not an active partner account", message);
    }
}
