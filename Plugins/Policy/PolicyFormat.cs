using System.Globalization;

namespace PartnerGuard.Policy;

/// <summary>How values appear in reasons and messages: invariant culture, thousands separators.</summary>
internal static class PolicyFormat
{
    /// <summary>Thousands separators, and at most two decimals only where the value has them ("1,500", "10.5").</summary>
    public static string Number(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);

    public static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> values) => string.Join(", ", values);

    public static string Measure(SizeMeasure measure) => measure == SizeMeasure.Employees ? "employees" : "annual revenue";

    public static string AccountName(string? name) => string.IsNullOrWhiteSpace(name) ? "this customer" : name!.Trim();

    /// <summary>"customer Contoso Ltd" inside a rule's detail, or "the customer" when the account's name can't be read.</summary>
    public static string CustomerLabel(string? name) => string.IsNullOrWhiteSpace(name) ? "the customer" : "customer " + name!.Trim();

    /// <summary>The text with its first letter upper-cased, for a phrase that opens a sentence ("This customer is …").</summary>
    public static string SentenceStart(string text) => text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

    public static string PartnerName(PartnerFacts partner) => string.IsNullOrWhiteSpace(partner.Name) ? "the chosen partner" : partner.Name!.Trim();
}
