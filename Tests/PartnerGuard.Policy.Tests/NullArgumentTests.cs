using PartnerGuard.Policy;
using static PartnerGuard.Policy.Tests.Builders.PolicyBuilders;

namespace PartnerGuard.Policy.Tests;

/// <summary>
/// The policy's public entry points refuse a missing argument by name, so a caller's mistake (the plug-ins, the
/// console, the emulator's hosts) shows as the argument it forgot rather than as an error somewhere inside.
/// </summary>
public sealed class NullArgumentTests
{
    public static TheoryData<string, Action> Calls => new()
    {
        { "facts", () => ChannelPolicy.Decide(null!, CompiledRuleSet.Empty, Enforce(), Today) },
        { "rules", () => ChannelPolicy.Decide(ADeal().Build(), null!, Enforce(), Today) },
        { "settings", () => ChannelPolicy.Decide(ADeal().Build(), CompiledRuleSet.Empty, null!, Today) },
        { "facts", () => ChannelPolicy.NeedsRules(null!, Enforce()) },
        { "settings", () => ChannelPolicy.NeedsRules(ADeal().Build(), null!) },
        { "decision", () => ChannelPolicy.Bypass(null!, Guid.Empty) },
        { "values", () => ChannelSettingsParser.Parse(null!) },
        { "rules", () => CompiledRuleSet.Compile(null!) },
        { "drafts", () => CompiledRuleSet.FromDrafts(null!) },
        { "draft", () => DirectSalesRuleValidator.Validate(null!) },
        { "text", () => Notices.Fit(null!) },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void PublicEntryPoint_NullArgument_IsRefusedByName(string parameter, Action call)
    {
        var refused = Assert.Throws<ArgumentNullException>(call);

        Assert.Equal(parameter, refused.ParamName);
    }
}
