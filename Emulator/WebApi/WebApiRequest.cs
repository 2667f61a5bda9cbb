using System.Text;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>One HTTP request as the protocol sees it, independent of the host (in-memory handler or Kestrel).</summary>
public sealed class WebApiRequest
{
    /// <summary>Creates a request.</summary>
    public WebApiRequest(string method, Uri uri, IEnumerable<KeyValuePair<string, string>>? headers = null, byte[]? body = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        Method = method.ToUpperInvariant();
        Uri = uri;
        Headers = headers?.ToList() ?? new List<KeyValuePair<string, string>>();
        Body = body ?? Array.Empty<byte>();
    }

    /// <summary>GET, POST, PATCH, DELETE...</summary>
    public string Method { get; }

    /// <summary>The absolute request URI.</summary>
    public Uri Uri { get; }

    /// <summary>Request and content headers, in order; a header may repeat.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body bytes (empty when none).</summary>
    public byte[] Body { get; }

    /// <summary>The first value of a header (case-insensitive name), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>All values of a header.</summary>
    public IEnumerable<string> HeaderValues(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}
