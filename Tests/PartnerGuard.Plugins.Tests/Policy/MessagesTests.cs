using System.Text.RegularExpressions;
using PartnerGuard.Plugins.Policy;
using PartnerGuard.Plugins.Tests.Builders;
using static PartnerGuard.Plugins.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Plugins.Tests.Policy;

/// <summary>DESIGN §1 "Messages": one catalogue, a stable code at the end, written for the reader who can act.</summary>
public sealed class MessagesTests
{
    public static TheoryData<string, string> EveryStoppingMessage()
    {
        var customer = ACustomer("Contoso Ltd").Build();
        var partner = APartner("Fabrikam Partners");
        return new TheoryData<string, string>
        {
            { ChannelCodes.NoPartner, Messages.NoPartner(customer) },
            { ChannelCodes.NoPartner, Messages.NoPartner(null) },
            { ChannelCodes.PartnerNotActive, Messages.PartnerNotActive(AnInactivePartner()) },
            { ChannelCodes.PartnerNotActive, Messages.PartnerNotActive(PartnerFacts.Missing(Guid.NewGuid())) },
            { ChannelCodes.PartnerIsCustomer, Messages.PartnerIsCustomer(partner, customer) },
            { ChannelCodes.ChannelConflict, Messages.ChannelConflict(customer, partner, APartner("Other")) },
            { ChannelCodes.Misconfigured, Messages.Misconfigured(Messages.SettingValueInvalid(SettingNames.ConflictPolicy, "x", "Block or Allow")) },
            { ChannelCodes.WrongRegistration, Messages.WrongRegistration("opportunity check", "Delete", "opportunity", 40, 1) },
            { ChannelCodes.WrongRegistration, Messages.PreImageMissing("opportunity check", "PreImage") },
            { ChannelCodes.Unexpected, Messages.Unexpected(Guid.NewGuid()) },
            { ChannelCodes.InvalidRule, Messages.RuleRejected(new[] { new RuleValidationError(DirectSalesRuleField.Name, Messages.RuleFieldRequired(DirectSalesRuleField.Name)) }) },
        };
    }

    [Theory]
    [MemberData(nameof(EveryStoppingMessage))]
    public void Message_EndsWithItsCodeAndHoldsNoInternals(string code, string message)
    {
        Assert.EndsWith("(PartnerGuard " + code + ")", message);
        Assert.DoesNotMatch(new Regex(@"\bpg_|PartnerGuard\.Plugins|Exception|\bat [A-Z]\w+\.|<[a-z/]", RegexOptions.None), message);
        Assert.True(message.Length < 500, "A message should fit a dialog: " + message.Length + " characters.");
    }

    [Fact]
    public void Fit_LongReason_IsCutToTheColumnLengthWithAnEllipsis()
    {
        var fitted = Messages.Fit(new string('x', 2500));

        Assert.Equal(Messages.ReasonMaxLength, fitted.Length);
        Assert.EndsWith("\u2026", fitted);
        Assert.Equal("short", Messages.Fit("short"));
    }
}
