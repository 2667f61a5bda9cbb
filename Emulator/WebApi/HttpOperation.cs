using System.Text;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>One operation: a whole request, or one part of a $batch. Paths are relative to the Web API root.</summary>
internal sealed class HttpOperation
{
    public HttpOperation(string method, string path, string query, IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body)
    {
        Method = method.ToUpperInvariant();
        Path = path;
        Query = query;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    /// <summary>The path after <c>/api/data/v9.2/</c>, still URL-encoded (<c>accounts(…)</c>).</summary>
    public string Path { get; }

    /// <summary>The raw query string without '?'.</summary>
    public string Query { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The batch Content-ID of the operation, if any.</summary>
    public string? ContentId { get; init; }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> HeaderValues(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The query options, decoded ('+' is kept as is), in order; a repeated name keeps the first value.</summary>
    public Dictionary<string, string> QueryOptions()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in RawQueryPairs(Query))
        {
            options.TryAdd(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }

        return options;
    }

    /// <summary>The query's name=value pairs, still encoded.</summary>
    public static IEnumerable<(string Name, string Value)> RawQueryPairs(string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            yield return eq < 0 ? (pair, string.Empty) : (pair[..eq], pair[(eq + 1)..]);
        }
    }
}

/// <summary>Who a request runs as, and what it may do; shared by the operations of a $batch.</summary>
internal sealed class CallContext
{
    public required Guid AuthenticatedUserId { get; init; }

    public required Guid UserId { get; init; }

    /// <summary>The Web API root, e.g. http://localhost/api/data/v9.2/.</summary>
    public required string Root { get; init; }

    /// <summary>The caller is listed in <see cref="DataverseWebApiOptions.BypassAllowedUserIds"/> (may bypass without the privilege).</summary>
    public required bool ListedForBypass { get; init; }

    /// <summary>The metadata model, taken once per request (a $batch shares it).</summary>
    public required WebApiModel Model { get; init; }

    /// <summary>Operations run so far (for execution time and the batch limit).</summary>
    public int Operations { get; set; }
}
