using System.Text.Json;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// The one reader of Web API JSON rows: a column that is absent, null or of another JSON kind reads as null.
/// Every reader of rows (planning, transparency, rules, the attacher) uses these instead of its own copies.
/// </summary>
internal static class WebApiRow
{
    /// <summary>The read-only value property of a lookup in Web API results: _x_value.</summary>
    public static string ValueOf(string lookup) => $"_{lookup}_value";

    public static string? Text(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A string or a number as its JSON text (option values, whole numbers), else null.</summary>
    public static string? Raw(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;

    /// <summary>A GUID column or a lookup's <c>_x_value</c>.</summary>
    public static Guid? Id(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) ? id : null;

    public static int? Int(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    public static decimal? Decimal(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;

    public static DateTime? Date(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var date) ? date.UtcDateTime : null;
}
