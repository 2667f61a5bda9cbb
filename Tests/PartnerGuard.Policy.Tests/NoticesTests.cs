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
}
