namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>Tuning of the Web API client. Defaults follow webapi-notes §1.4, §3, §4 and §8.</summary>
internal sealed class WebApiOptions
{
    /// <summary>The Web API version in every URL (v9.2 is current; webapi-notes §1.1).</summary>
    public string ApiVersion { get; init; } = "v9.2";

    /// <summary>Rows per page, sent as Prefer: odata.maxpagesize (5000 is the service maximum).</summary>
    public int MaxPageSize { get; init; } = 5000;

    /// <summary>Retries of one request after 429, transient 5xx, 408 or a network fault.</summary>
    public int MaxRetryAttempts { get; init; } = 10;

    /// <summary>Base delay of the exponential back-off (with jitter) when the server sends no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Cap of one computed back-off delay. A server Retry-After is honoured exactly, never capped.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Bound on the total time of one logical request, retries and waits included. A retry whose
    /// Retry-After would overrun it is not attempted; the throttled response is returned instead.
    /// </summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Timeout of one attempt (ServiceClient's default is 4 minutes); null for none.</summary>
    public TimeSpan? AttemptTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Upper bound on parallel requests, whatever the server's x-ms-dop-hint says.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 16;

    /// <summary>Optional <c>tag</c> query parameter on writes; plug-ins see it as SharedVariables["tag"].</summary>
    public string? Tag { get; init; } = "PartnerGuard";
}
