using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Domain.Planning;

/// <summary>Whether a published direct sales rule covers an account (such accounts stay direct, not planned).</summary>
internal interface IDirectSalesCoverage
{
    /// <summary>
    /// Why the account is handled direct, naming the rule, or null when no rule covers it. The text names the rule
    /// only, not the account's own facts, so the plan's summary counts accounts per rule.
    /// </summary>
    string? CoveringRule(AccountCandidate account);
}

/// <summary>No rules: nothing is covered.</summary>
internal sealed class NoDirectSalesRules : IDirectSalesCoverage
{
    public static NoDirectSalesRules Instance { get; } = new();

    public string? CoveringRule(AccountCandidate account) => null;
}

/// <summary>
/// Asks the channel policy the plugin uses (PartnerGuard.Policy) what it would decide for a deal of this
/// customer without a partner: Direct means a rule covers the customer. Deal-size rules never match here (no
/// deal). The same code decides in Dataverse and in planning, so a plan never contradicts the plugin.
/// </summary>
internal sealed class PolicyDirectSalesCoverage : IDirectSalesCoverage
{
    private readonly CompiledRuleSet _rules;
    private readonly ChannelSettings _settings;
    private readonly DateTime _now;

    public PolicyDirectSalesCoverage(CompiledRuleSet rules, ChannelSettings settings, DateTimeOffset now)
    {
        if (rules.Problem is not null)
        {
            throw new Domain.UsageException($"The direct sales rules cannot be used: {rules.Problem}");
        }

        _rules = rules;
        // Auto-attach off: the question is only whether a rule covers the customer.
        _settings = settings with { AutoAttachAssignedPartner = false, Mode = EnforcementMode.Enforce };
        _now = now.UtcDateTime;
    }

    public string? CoveringRule(AccountCandidate account)
    {
        var customer = new CustomerFacts(account.Id, account.Name)
        {
            AnnualRevenueBase = account.AnnualRevenueBase,
            Employees = account.Employees,
            Country = account.Country,
            StateOrProvince = account.StateOrProvince,
            AncestorAccountIds = account.AncestorIds,
            IsActive = account.IsActive,
        };
        var decision = ChannelPolicy.Decide(new ChannelFacts(customer, DealFacts.None), _rules, _settings, _now);
        if (decision.Outcome != ChannelOutcome.Direct)
        {
            return null;
        }

        // The decision's own reason quotes the account's values ("employees 6 < 10"); counted per reason, that would
        // split one rule into as many lines as there are distinct values.
        return decision.Rule is { } rule ? $"handled direct by rule '{rule.Name}'" : decision.Reason;
    }
}
