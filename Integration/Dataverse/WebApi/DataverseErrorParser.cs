using System.Net;
using System.Text.Json;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>Parses Dataverse error bodies; tolerates bodies that are not the documented JSON shape.</summary>
internal static class DataverseErrorParser
{
    private const string SubErrorCodeAnnotation = "@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode";

    public static DataverseError Parse(HttpStatusCode status, string? body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? string.Empty : string.Empty;
                    var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
                    int? sub = error.TryGetProperty(SubErrorCodeAnnotation, out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var v) ? v : null;
                    return new DataverseError(status, code, message, sub);
                }
            }
            catch (JsonException)
            {
                // Not JSON (a gateway page, plain text): keep the text below.
            }
        }

        var text = string.IsNullOrWhiteSpace(body) ? status.ToString() : body.Trim();
        if (text.Length > 500)
        {
            text = text[..500] + "…";
        }

        return new DataverseError(status, string.Empty, text);
    }

    public static async Task<DataverseError> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return Parse(response.StatusCode, body);
    }
}
