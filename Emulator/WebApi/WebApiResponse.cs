using System.Text;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>One HTTP response produced by the protocol.</summary>
public sealed class WebApiResponse
{
    /// <summary>Creates a response.</summary>
    public WebApiResponse(int status, byte[]? body = null, string? contentType = null)
    {
        Status = status;
        Body = body ?? Array.Empty<byte>();
        ContentType = contentType;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>Response headers other than Content-Type.</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = new();

    /// <summary>The body bytes (empty when none).</summary>
    public byte[] Body { get; }

    /// <summary>The Content-Type of the body, or null when there is none.</summary>
    public string? ContentType { get; }

    /// <summary>
    /// True when the request ran but its answer is lost (<see cref="FaultInjectionOptions.LostAnswerRate"/>): the hosts
    /// close the connection without a response instead of sending this one.
    /// </summary>
    public bool AnswerLost { get; private init; }

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    internal WebApiResponse With(string name, string value)
    {
        Headers.Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    internal static WebApiResponse Lost() => new(502) { AnswerLost = true };

    internal static WebApiResponse Json(int status, byte[] body) => new(status, body, "application/json; odata.metadata=minimal");
}
