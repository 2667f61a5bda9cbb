using System.Globalization;

namespace PartnerGuard.Policy;

/// <summary>How values appear in reasons and messages: invariant culture, thousands separators.</summary>
internal static class PolicyFormat
{
    public static string Number(decimal value) =>
        value.ToString(decimal.Truncate(value) == value ? "#,##0" : "#,##0.##", CultureInfo.InvariantCulture);

    public static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> values) => string.Join(", ", values);

    public static string Measure(SizeMeasure measure) => measure == SizeMeasure.Employees ? "employees" : "annual revenue";

    public static string AccountName(string? name) => string.IsNullOrWhiteSpace(name) ? "this customer" : name!.Trim();

    public static string PartnerName(PartnerFacts partner) => string.IsNullOrWhiteSpace(partner.Name) ? "the chosen partner" : partner.Name!.Trim();
}
