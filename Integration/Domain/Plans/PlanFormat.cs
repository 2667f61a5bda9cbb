using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>How plan files spell values: shared by the writers and the readers.</summary>
internal static class PlanFormat
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Date(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Guid(Guid? value) => value?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string ParametersJson(IReadOnlyDictionary<string, string> parameters)
    {
        var sorted = new SortedDictionary<string, string>(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return JsonSerializer.Serialize(sorted, PlanJsonContext.Default.SortedDictionaryStringString);
    }
}
