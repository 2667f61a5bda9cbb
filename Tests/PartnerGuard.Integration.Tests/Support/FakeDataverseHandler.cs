using System.Net;
using System.Text;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>
/// A transport that records every request it saw (method, URL, headers, body text), so tests can assert exactly what
/// went over the wire, and answers it from the emulator's in-memory Web API (<see cref="Over"/>) or, where a test
/// needs an answer the emulator never gives, from canned responses: throttling with a chosen Retry-After, 5xx and
/// network failures, malformed or truncated bodies, a server without UpdateMultiple. Each canned use says which.
/// </summary>
internal sealed class FakeDataverseHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, HttpResponseMessage>? _respond;
    private readonly HttpMessageInvoker? _emulator;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];

    public FakeDataverseHandler(Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _respond = respond;
    }

    private FakeDataverseHandler(HttpMessageHandler emulator)
    {
        _emulator = new HttpMessageInvoker(emulator);
    }

    /// <summary>Records the requests and lets the emulator's Web API answer them (PartnerGuard.Emulator.WebApi.DataverseWebApi.CreateHandler).</summary>
    public static FakeDataverseHandler Over(HttpMessageHandler emulator) => new(emulator);

    /// <summary>Answers the given responses in order, one per request; fails the test if it runs out.</summary>
    public static FakeDataverseHandler Sequence(params Func<HttpResponseMessage>[] responses)
    {
        var index = 0;
        return new FakeDataverseHandler(_ =>
        {
            var i = Interlocked.Increment(ref index) - 1;
            Assert.True(i < responses.Length, $"Unexpected request #{i + 1}; only {responses.Length} responses were scripted.");
            return responses[i]();
        });
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToList();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (_lock)
        {
            _requests.Add(recorded);
        }

        if (_emulator is not null)
        {
            return await _emulator.SendAsync(request, cancellationToken);
        }

        var response = _respond!(recorded);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("OData-Version", "4.0");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public static HttpResponseMessage NoContent(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>The documented throttling answer: 429 with Retry-After in seconds (webapi-notes §4.2).</summary>
    public static HttpResponseMessage Throttled(int retryAfterSeconds) =>
        Json(
            (HttpStatusCode)429,
            "{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded the limit of 6000 over time window of 300 seconds.\"}}",
            ("Retry-After", retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static HttpResponseMessage Multipart(HttpStatusCode status, string boundary, string body)
    {
        var content = new StringContent(body.Replace("\n", "\r\n", StringComparison.Ordinal), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={boundary}");
        return new HttpResponseMessage(status) { Content = content };
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string PathAndQuery => Uri.GetComponents(UriComponents.PathAndQuery, UriFormat.Unescaped);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
