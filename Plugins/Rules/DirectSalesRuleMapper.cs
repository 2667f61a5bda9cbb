using System.Globalization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Plugins;

/// <summary>
/// A pg_directsalesrule row (or the state under decision of one being saved) as a draft for validation. Only
/// active rules are mapped (the rules query asks for active ones, the validation skips inactive ones), so the
/// draft keeps its default <see cref="DirectSalesRuleDraft.IsActive"/> of true.
/// </summary>
internal static class DirectSalesRuleMapper
{
    public static DirectSalesRuleDraft ToDraft(RecordState rule)
    {
        var account = Values.Reference(rule.Value(DirectSalesRuleColumns.AccountId));
        return new DirectSalesRuleDraft
        {
            Id = rule.Id,
            Name = Values.Text(rule.Value(DirectSalesRuleColumns.Name)),
            Kind = OptionText(rule.Value(DirectSalesRuleColumns.Kind)),
            Measure = OptionText(rule.Value(DirectSalesRuleColumns.Measure)),
            Threshold = Values.Decimal(rule.Value(DirectSalesRuleColumns.Threshold)),
            Countries = Values.Text(rule.Value(DirectSalesRuleColumns.Countries)),
            Regions = Values.Text(rule.Value(DirectSalesRuleColumns.Regions)),
            AccountId = account?.Id,
            AccountName = account?.Name,
            IncludeSubsidiaries = Values.Bool(rule.Value(DirectSalesRuleColumns.IncludeSubsidiaries)),
            Description = Values.Text(rule.Value(DirectSalesRuleColumns.Description)),
            Priority = Values.Int(rule.Value(DirectSalesRuleColumns.Priority)),
            EffectiveFrom = Values.Date(rule.Value(DirectSalesRuleColumns.EffectiveFrom)),
            EffectiveTo = Values.Date(rule.Value(DirectSalesRuleColumns.EffectiveTo)),
        };
    }

    private static string? OptionText(object? value) => Values.Int(value) is int number ? number.ToString(CultureInfo.InvariantCulture) : null;
}
