using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Policy;

/// <summary>
/// Every sentence PartnerGuard shows to a person, in one place. Messages that stop a save end in a stable
/// code, "(PartnerGuard PG-00x)" for sellers and "(PartnerGuard PG-9xx)" for admins, and say what to do.
/// No internal column names, class names, stack traces or markup. Reasons are the one plain sentence
/// recorded on the deal; values appear in invariant culture with thousands separators.
/// </summary>
public static class Notices
{
    /// <summary>The length of the channel reason column.</summary>
    public const int ReasonMaxLength = 2000;

    private const int MaxEchoedValueLength = 100;

    // ----- Seller messages: a save that is (or would be) blocked -----

    public static string NoPartner(CustomerFacts? customer) =>
        "This opportunity needs a partner. Choose one in the Partner field. Direct deals are allowed only for customers covered by a published direct sales rule, and "
        + (customer is null ? "a deal without a customer account is covered by none" : "none covers " + PolicyFormat.AccountName(customer.Name))
        + ". Ask your channel manager if you think this deal is an exception." + Code(ChannelCodes.NoPartner);

    public static string PartnerNotActive(PartnerFacts partner) =>
        (partner.Found
            ? PolicyFormat.SentenceStart(PolicyFormat.PartnerName(partner)) + " is not an active partner account, so it can't be the partner on this opportunity."
            : "The partner chosen on this opportunity no longer exists or can't be read.")
        + " Choose an active partner in the Partner field." + Code(ChannelCodes.PartnerNotActive);

    public static string PartnerIsCustomer(PartnerFacts partner, CustomerFacts customer) =>
        "The partner on this opportunity is the customer itself (" + PolicyFormat.AccountName(customer.Name ?? partner.Name)
        + "). Choose the partner that sells to this customer in the Partner field." + Code(ChannelCodes.PartnerIsCustomer);

    public static string ChannelConflict(CustomerFacts customer, PartnerFacts assigned, PartnerFacts named) =>
        PolicyFormat.SentenceStart(PolicyFormat.AccountName(customer.Name)) + " is served by its assigned partner " + PolicyFormat.PartnerName(assigned)
        + ", but this opportunity names " + PolicyFormat.PartnerName(named) + ". Choose " + PolicyFormat.PartnerName(assigned)
        + " in the Partner field, or ask your channel manager to reassign the customer." + Code(ChannelCodes.ChannelConflict);

    // ----- Admin messages: configuration -----

    public static string Misconfigured(string problem) =>
        "PartnerGuard can't check this opportunity because it is not configured correctly. " + problem
        + " Ask your Dynamics 365 administrator to correct it." + Code(ChannelCodes.Misconfigured);

    public static string SettingValueInvalid(string settingSchemaName, string value, string expected) =>
        "The PartnerGuard setting '" + SettingDisplayName(settingSchemaName) + "' has the value '" + Echo(value) + "'; it must be " + expected + ".";

    public static string SettingsProblem(IReadOnlyList<string> problems) => string.Join(" ", problems);

    public static string SettingsUnreadable(string detail) => "The PartnerGuard settings could not be read: " + detail + ".";

    public static string RulesUnreadable(string detail) => "The direct sales rules could not be read: " + detail + ".";

    public static string ExchangeRateUnreadable(string detail) => "The exchange rate of the opportunity's currency could not be read: " + detail + ".";

    public static string RulesProblem(IReadOnlyList<string> problems) => string.Join(" ", problems);

    public static string RuleInvalidInSet(string? ruleName, IReadOnlyList<RuleValidationError> errors)
    {
        var parts = new string[errors.Count];
        for (var i = 0; i < errors.Count; i++)
        {
            parts[i] = errors[i].Message;
        }

        return "The direct sales rule '" + Echo(string.IsNullOrWhiteSpace(ruleName) ? "(no name)" : ruleName!.Trim()) + "' is invalid: " + string.Join(" ", parts);
    }

    public static string WrongRegistration(string check, string message, string table, int stage, int mode) =>
        "PartnerGuard's " + check + " is registered for an event it was not built for (" + message + " of " + table + ", stage " + stage
        + (mode == 0 ? ", synchronous" : ", asynchronous") + "). Re-import the PartnerGuard solution, or remove the extra step." + Code(ChannelCodes.WrongRegistration);

    public static string PreImageMissing(string check, string alias) =>
        "PartnerGuard's " + check + " is registered without its pre-image '" + alias + "'. Re-import the PartnerGuard solution to restore it." + Code(ChannelCodes.WrongRegistration);

    public static string Unexpected(Guid correlationId) =>
        "PartnerGuard could not check this record because of an unexpected error. Ask your Dynamics 365 administrator to look in the plug-in trace log for correlation id "
        + correlationId + "." + Code(ChannelCodes.Unexpected);

    // ----- Admin messages: saving a direct sales rule -----

    public static string RuleRejected(IReadOnlyList<RuleValidationError> errors)
    {
        var parts = new string[errors.Count];
        for (var i = 0; i < errors.Count; i++)
        {
            parts[i] = errors[i].Message;
        }

        return "This direct sales rule can't be saved. " + string.Join(" ", parts) + Code(ChannelCodes.InvalidRule);
    }

    public static string RuleFieldRequired(DirectSalesRuleField field) => FieldDisplayName(field) + " is required.";

    public static string RuleNameTooLong(int length, int maxLength) =>
        FieldDisplayName(DirectSalesRuleField.Name) + " can be at most " + maxLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters; this one has " + length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".";

    public static string RuleFieldRequiredForKind(DirectSalesRuleField field, DirectSalesRuleKind kind) =>
        FieldDisplayName(field) + " is required for a '" + KindDisplayName(kind) + "' rule.";

    public static string RuleFieldNotForKind(DirectSalesRuleField field, DirectSalesRuleKind kind) =>
        FieldDisplayName(field) + " does not apply to a '" + KindDisplayName(kind) + "' rule; clear it.";

    public static string RulePriorityNegative(int priority) =>
        FieldDisplayName(DirectSalesRuleField.Priority) + " must be 0 or more; it is " + priority + ".";

    public static string RuleDatesReversed(DateTime from, DateTime to) =>
        FieldDisplayName(DirectSalesRuleField.EffectiveTo) + " (" + PolicyFormat.Date(to) + ") is before "
        + FieldDisplayName(DirectSalesRuleField.EffectiveFrom) + " (" + PolicyFormat.Date(from) + ").";

    public static string RuleKindUnknown(string text) =>
        FieldDisplayName(DirectSalesRuleField.Kind) + " '" + Echo(text) + "' is not one of: Customer size above, Customer size below, Geography, Named account, Deal size above.";

    public static string RuleMeasureUnknown(string text) =>
        FieldDisplayName(DirectSalesRuleField.Measure) + " '" + Echo(text) + "' is not one of: Annual revenue, Employees.";

    public static string RuleThresholdNotPositive(DirectSalesRuleKind kind, decimal threshold) =>
        FieldDisplayName(DirectSalesRuleField.Threshold)
        + (kind == DirectSalesRuleKind.CustomerSizeBelow ? " must be more than 0 for a '" + KindDisplayName(kind) + "' rule" : " must be 0 or more")
        + "; it is " + PolicyFormat.Number(threshold) + ".";

    public static string RuleThresholdNotWhole(decimal threshold) =>
        FieldDisplayName(DirectSalesRuleField.Threshold) + " must be a whole number of employees; it is " + PolicyFormat.Number(threshold) + ".";

    public static string RuleCountryUnknown(string entry) =>
        FieldDisplayName(DirectSalesRuleField.Countries) + ": '" + Echo(entry) + "' is not a country PartnerGuard recognises; use two-letter ISO 3166 codes such as DE or US.";

    // ----- Reasons recorded on the deal -----

    public static string PartnerNamedReason(PartnerFacts partner) =>
        "Sold through partner " + PolicyFormat.PartnerName(partner) + ", named on the deal.";

    public static string PartnerConflictAllowedReason(PartnerFacts named, PartnerFacts assigned) =>
        "Sold through partner " + PolicyFormat.PartnerName(named) + ", named on the deal, although the customer's assigned partner is "
        + PolicyFormat.PartnerName(assigned) + " (allowed by the conflict policy).";

    public static string PartnerAttachedReason(PartnerFacts assigned, CustomerFacts customer) =>
        "Sold through partner " + PolicyFormat.PartnerName(assigned) + ", attached automatically as the assigned partner of "
        + PolicyFormat.AccountName(customer.Name) + ".";

    public static string AuditReason(string blockedMessage) =>
        "Audit mode: in enforce mode this save would have been blocked. " + blockedMessage;

    public static string BypassedReason(Guid principalId, string blockedMessage) =>
        "Saved by user " + principalId + ", a member of the PartnerGuard bypass team; without the bypass it would have been blocked. " + blockedMessage;

    internal static string DirectReason(CompiledRule match, ChannelFacts facts, ref MatchState state)
    {
        var rule = match.Rule;
        var customer = facts.Customer;
        string detail;
        switch (rule)
        {
            case CustomerSizeAboveRule above:
                detail = PolicyFormat.Measure(above.Measure) + " " + PolicyFormat.Number(match.MeasureOf(customer!)!.Value) + " \u2265 " + PolicyFormat.Number(above.Threshold);
                break;
            case CustomerSizeBelowRule below:
                detail = PolicyFormat.Measure(below.Measure) + " " + PolicyFormat.Number(match.MeasureOf(customer!)!.Value) + " < " + PolicyFormat.Number(below.Threshold);
                break;
            case GeographyRule geography:
                var typed = customer!.Country!.Trim();
                // The rule matched, so the match worked out the customer's country code.
                var code = state.CountryCode!;
                detail = "country " + (string.Equals(typed, code, StringComparison.OrdinalIgnoreCase) ? code : Echo(typed) + " = " + code)
                    + ", one of " + PolicyFormat.List(geography.Countries);
                if (geography.Regions.Count > 0)
                {
                    detail += "; state/province " + Echo(customer.StateOrProvince!.Trim()) + ", one of " + PolicyFormat.List(geography.Regions);
                }

                break;
            case NamedAccountRule named:
                detail = customer!.AccountId == named.AccountId
                    ? PolicyFormat.CustomerLabel(customer.Name) + " is the named account"
                    : PolicyFormat.CustomerLabel(customer.Name) + " is below the named account " + (string.IsNullOrWhiteSpace(named.AccountName) ? named.AccountId.ToString() : named.AccountName!.Trim());
                break;
            case DealSizeAboveRule deal:
                detail = "estimated value " + PolicyFormat.Number(facts.Deal.EstimatedValueBase!.Value) + " \u2265 " + PolicyFormat.Number(deal.Threshold);
                break;
            default:
                detail = rule.Kind.ToString();
                break;
        }

        var reason = "Handled direct by rule '" + rule.Name + "' (" + detail + ")";
        return rule.Description is null ? reason : reason + ": " + rule.Description;
    }

    // ----- Names admins see -----

    public static string FieldDisplayName(DirectSalesRuleField field) => field switch
    {
        DirectSalesRuleField.Name => "Name",
        DirectSalesRuleField.Kind => "Kind",
        DirectSalesRuleField.Measure => "Measure",
        DirectSalesRuleField.Threshold => "Threshold",
        DirectSalesRuleField.Countries => "Countries",
        DirectSalesRuleField.Regions => "States/provinces",
        DirectSalesRuleField.Account => "Account",
        DirectSalesRuleField.IncludeSubsidiaries => "Include subsidiaries",
        DirectSalesRuleField.Description => "Description",
        DirectSalesRuleField.Priority => "Priority",
        DirectSalesRuleField.EffectiveFrom => "Effective from",
        DirectSalesRuleField.EffectiveTo => "Effective to",
        _ => field.ToString(),
    };

    public static string KindDisplayName(DirectSalesRuleKind kind) => kind switch
    {
        DirectSalesRuleKind.CustomerSizeAbove => "Customer size above",
        DirectSalesRuleKind.CustomerSizeBelow => "Customer size below",
        DirectSalesRuleKind.Geography => "Geography",
        DirectSalesRuleKind.NamedAccount => "Named account",
        DirectSalesRuleKind.DealSizeAbove => "Deal size above",
        _ => kind.ToString(),
    };

    public static string SettingDisplayName(string settingSchemaName)
    {
        if (string.Equals(settingSchemaName, SettingNames.EnforcementMode, StringComparison.OrdinalIgnoreCase))
        {
            return "Enforcement mode";
        }

        if (string.Equals(settingSchemaName, SettingNames.PartnerRelationshipTypes, StringComparison.OrdinalIgnoreCase))
        {
            return "Partner relationship types";
        }

        if (string.Equals(settingSchemaName, SettingNames.AutoAttachAssignedPartner, StringComparison.OrdinalIgnoreCase))
        {
            return "Auto-attach assigned partner";
        }

        if (string.Equals(settingSchemaName, SettingNames.ConflictPolicy, StringComparison.OrdinalIgnoreCase))
        {
            return "Conflict policy";
        }

        if (string.Equals(settingSchemaName, SettingNames.BypassTeamId, StringComparison.OrdinalIgnoreCase))
        {
            return "Bypass team";
        }

        return settingSchemaName;
    }

    /// <summary>Shortens a text to fit a column of <paramref name="maxLength"/> characters, marking the cut with an ellipsis.</summary>
    public static string Fit(string text, int maxLength = ReasonMaxLength)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        return text.Length <= maxLength ? text : text.Substring(0, maxLength - 1) + "\u2026";
    }

    private static string Code(string code) => " (PartnerGuard " + code + ")";

    private static string Echo(string value) => Fit(value, MaxEchoedValueLength);
}
