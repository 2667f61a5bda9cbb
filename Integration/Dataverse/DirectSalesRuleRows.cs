using System.Globalization;
using System.Text.Json;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Turns one pg_directsalesrule row of a Web API response (<see cref="DirectSalesRuleRows.Select"/>) into the
/// draft the plugin's validator and compiler take. The planner and the transparency commands both read rules here,
/// so a rule means the same thing to `plan`, `audit`, `simulate` and `rules export`.
/// </summary>
internal static class DirectSalesRuleRows
{
    /// <summary>The Web API $select of every rule column the console reads (the planner and the transparency commands).</summary>
    public static readonly string Select = string.Join(",",
        DirectSalesRuleColumns.Id, DirectSalesRuleColumns.Name, DirectSalesRuleColumns.Kind, DirectSalesRuleColumns.Measure,
        DirectSalesRuleColumns.Threshold, DirectSalesRuleColumns.Countries, DirectSalesRuleColumns.Regions,
        WebApiRow.ValueOf(DirectSalesRuleColumns.AccountId), DirectSalesRuleColumns.IncludeSubsidiaries, DirectSalesRuleColumns.Description,
        DirectSalesRuleColumns.Priority, DirectSalesRuleColumns.EffectiveFrom, DirectSalesRuleColumns.EffectiveTo, DirectSalesRuleColumns.StateCode);

    /// <summary>
    /// Kind and measure are choice columns (numbers in Web API JSON); the value is handed on as sent, text or
    /// number, so the validator names an unexpected value instead of reporting the field as missing. Dates are
    /// read with their offset and kept in UTC (the policy compares them with UTC now); a date the server sends in
    /// a form that cannot be read is an error naming the rule and the column, not a rule without that bound.
    /// State: active unless statecode says otherwise (a query filtered on active rules may leave it out).
    /// </summary>
    public static DirectSalesRuleDraft Read(JsonElement row)
    {
        var id = row.GetProperty(DirectSalesRuleColumns.Id).GetGuid();
        return new DirectSalesRuleDraft
        {
            Id = id,
            Name = Text(row, DirectSalesRuleColumns.Name),
            Kind = Raw(row, DirectSalesRuleColumns.Kind),
            Measure = Raw(row, DirectSalesRuleColumns.Measure),
            Threshold = row.TryGetProperty(DirectSalesRuleColumns.Threshold, out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDecimal() : null,
            Countries = Text(row, DirectSalesRuleColumns.Countries),
            Regions = Text(row, DirectSalesRuleColumns.Regions),
            AccountId = Id(row, WebApiRow.ValueOf(DirectSalesRuleColumns.AccountId)),
            IncludeSubsidiaries = row.TryGetProperty(DirectSalesRuleColumns.IncludeSubsidiaries, out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False ? s.GetBoolean() : null,
            Description = Text(row, DirectSalesRuleColumns.Description),
            Priority = row.TryGetProperty(DirectSalesRuleColumns.Priority, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var priority) ? priority : null,
            EffectiveFrom = Date(row, DirectSalesRuleColumns.EffectiveFrom, id),
            EffectiveTo = Date(row, DirectSalesRuleColumns.EffectiveTo, id),
            IsActive = !(row.TryGetProperty(DirectSalesRuleColumns.StateCode, out var state) && state.ValueKind == JsonValueKind.Number && state.TryGetInt32(out var code) && code != 0),
        };
    }

    private static DateTime? Date(JsonElement row, string name, Guid rule)
    {
        if (!row.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return value.TryGetDateTimeOffset(out var date)
            ? date.UtcDateTime
            : throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.OK, string.Empty,
                $"Direct sales rule {rule.ToString("D", CultureInfo.InvariantCulture)}: {name} '{value.GetString()}' is not a date and time."));
    }
}
