using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerGuard.Integration.Reports;

/// <summary>The JSON form of every report: camelCase, indented, enums by name, LF line ends, trailing newline.</summary>
internal static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T report) => JsonSerializer.Serialize(report, Options) + "\n";

    public static string Write<T>(string folder, string fileName, T report)
    {
        var path = Path.Combine(folder, fileName);
        File.WriteAllText(path, Serialize(report));
        return path;
    }
}
