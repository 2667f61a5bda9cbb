using System.Net;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Counts what the client puts on the wire: the innermost handler of the console's chain (below retries), so every
/// attempt is counted once, including the ones the server throttles and the client then repeats.
/// </summary>
internal sealed class RequestCounter : DelegatingHandler
{
    private long _requests;
    private long _throttled;
    private long _failed;
    private long _reads;
    private long _writes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _throttleCodes = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _targets = new(StringComparer.Ordinal);

    public RequestCounter(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>How many 429s each service protection error code caused (requests, execution time, concurrency).</summary>
    public IReadOnlyDictionary<string, int> ThrottleCodes => new Dictionary<string, int>(_throttleCodes, StringComparer.Ordinal);

    /// <summary>Requests per method and first path segment after the Web API root ("GET accounts", "POST $batch").</summary>
    public IReadOnlyDictionary<string, int> Targets => new Dictionary<string, int>(_targets, StringComparer.Ordinal);

    public RequestCounts Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _reads),
        Interlocked.Read(ref _writes),
        Interlocked.Read(ref _throttled),
        Interlocked.Read(ref _failed));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref request.Method == HttpMethod.Get ? ref _reads : ref _writes);
        _targets.AddOrUpdate($"{request.Method} {TargetOf(request.RequestUri)}", 1, (_, n) => n + 1);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref _throttled);
            _throttleCodes.AddOrUpdate(await ErrorCodeAsync(response, cancellationToken).ConfigureAwait(false), 1, (_, n) => n + 1);
        }
        else if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _failed);
        }

        return response;
    }

    private static string TargetOf(Uri? uri)
    {
        var path = uri?.AbsolutePath ?? string.Empty;
        var root = path.IndexOf("/api/data/", StringComparison.Ordinal);
        var rest = root < 0 ? path : path[(root + "/api/data/".Length)..];
        var segment = rest.Split('/').Skip(1).FirstOrDefault() ?? rest;
        var key = segment.IndexOf('(', StringComparison.Ordinal);
        return key < 0 ? segment : segment[..key] + "(…)";
    }

    /// <summary>The "code" of a Dataverse error body; the body is buffered first, so the caller can still read it.</summary>
    private static async Task<string> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.GetProperty("error").GetProperty("code").GetString() ?? "(none)";
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "(not a Dataverse error body)";
        }
    }
}

/// <summary>Requests sent (GET = reads; POST/PATCH = writes, UpdateMultiple and $batch), and how many were answered 429 or another error.</summary>
internal readonly record struct RequestCounts(long Requests, long Reads, long Writes, long Throttled, long Failed)
{
    public static RequestCounts operator -(RequestCounts after, RequestCounts before) => new(
        after.Requests - before.Requests,
        after.Reads - before.Reads,
        after.Writes - before.Writes,
        after.Throttled - before.Throttled,
        after.Failed - before.Failed);
}
