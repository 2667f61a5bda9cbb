namespace PartnerGuard.Emulator.WebApi;

/// <summary>How the emulator's Web API front behaves: identities, bypass rights, service protection and injected faults.</summary>
public sealed class DataverseWebApiOptions
{
    /// <summary>The clock for service-protection windows, Retry-After, latency and timeouts. Tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Bearer tokens mapped to systemuser ids: <c>Authorization: Bearer {token}</c> runs the request as that user.
    /// A token not listed here (or no Authorization header) runs as the org's administrator unless
    /// <see cref="RequireKnownToken"/> is set.
    /// </summary>
    public IReadOnlyDictionary<string, Guid> Tokens { get; init; } = new Dictionary<string, Guid>(StringComparer.Ordinal);

    /// <summary>When true, a request without a token listed in <see cref="Tokens"/> gets 401, as Dataverse answers an invalid token.</summary>
    public bool RequireKnownToken { get; init; }

    /// <summary>
    /// Users allowed to send <c>MSCRM.BypassCustomPluginExecution</c> / <c>MSCRM.BypassBusinessLogicExecution</c> even
    /// without the privilege. The privilege decides first: holders of prvBypassCustomPlugins / prvBypassCustomBusinessLogic
    /// (System Administrator by default, or any role given them) may always bypass; any other caller gets 403
    /// PrivilegeDenied. Kept for hosts that still list users instead of giving them a role; prefer the role.
    /// </summary>
    public IReadOnlyCollection<Guid>? BypassAllowedUserIds { get; init; }

    /// <summary>The <c>x-ms-dop-hint</c> header value on every response (recommended degree of parallelism).</summary>
    public int DopHint { get; init; } = 8;

    /// <summary>Per-user service protection limits (429 with Retry-After). Dataverse's defaults unless changed.</summary>
    public ServiceProtectionOptions ServiceProtection { get; init; } = new();

    /// <summary>Transient failures, timeouts and latency injected into requests. None by default.</summary>
    public FaultInjectionOptions Faults { get; init; } = new();
}

/// <summary>
/// Service protection API limits, per user, over a sliding window. Defaults are Dataverse's documented
/// defaults ("Service protection API limits", learn.microsoft.com/power-apps/developer/data-platform/api-limits):
/// 6,000 requests and 1,200 seconds of combined execution time per 300-second window, 52 concurrent requests.
/// </summary>
public sealed class ServiceProtectionOptions
{
    /// <summary>False turns every limit off.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Requests per window and user (a $batch counts as one request).</summary>
    public int RequestLimit { get; init; } = 6000;

    /// <summary>Combined execution time per window and user (a $batch counts the time of all its operations).</summary>
    public TimeSpan ExecutionTimeLimit { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>The sliding window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests of one user in flight at once.</summary>
    public int ConcurrencyLimit { get; init; } = 52;

    /// <summary>
    /// Simulated server time charged per operation (one per plain request, one per operation in a $batch, one per
    /// target of CreateMultiple/UpdateMultiple), added to the time measured on <see cref="DataverseWebApiOptions.Time"/>.
    /// Makes the execution-time limit reachable and deterministic in tests and benchmarks.
    /// </summary>
    public TimeSpan ExecutionTimePerOperation { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// When true (the default), a refused request still counts toward the request window, whatever limit refused it,
    /// so a client that keeps sending without honouring Retry-After keeps the window full and keeps getting 429. This
    /// is the emulator's model of the documented penalty ("Service protection API limits": the Retry-After depends on
    /// how demanding the last 5 minutes were, and a client that keeps sending waits longer); the docs do not say
    /// whether a refused request is itself counted, so this is an inference, not a documented fact. False counts only
    /// admitted requests.
    /// </summary>
    public bool CountThrottledRequests { get; init; } = true;

    /// <summary>The limits with the window and execution-time limit divided by <paramref name="factor"/> (a compressed window for tests).</summary>
    public ServiceProtectionOptions Compressed(double factor, int? requestLimit = null) => new()
    {
        Enabled = Enabled,
        RequestLimit = requestLimit ?? RequestLimit,
        ExecutionTimeLimit = ExecutionTimeLimit / factor,
        Window = Window / factor,
        ConcurrencyLimit = ConcurrencyLimit,
        ExecutionTimePerOperation = ExecutionTimePerOperation,
        CountThrottledRequests = CountThrottledRequests,
    };
}

/// <summary>Faults injected before a request runs; the draw is deterministic for a given <see cref="Seed"/> and request order.</summary>
public sealed class FaultInjectionOptions
{
    /// <summary>The random seed.</summary>
    public int Seed { get; init; }

    /// <summary>Share of requests (0..1) answered 503 Service Unavailable without running.</summary>
    public double TransientFailureRate { get; init; }

    /// <summary>Share of requests (0..1) that time out: they wait <see cref="TimeoutDelay"/> and are answered 504 without running.</summary>
    public double TimeoutRate { get; init; }

    /// <summary>How long a timed-out request hangs before its 504 (on the options' clock).</summary>
    public TimeSpan TimeoutDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Latency added to every request before it runs (on the options' clock; counted as execution time).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>
    /// Latency added after a request runs, once per operation it held (one for a plain request, one per operation of a
    /// $batch, one per target of CreateMultiple/UpdateMultiple), on the options' clock and counted as execution time:
    /// a stand-in for the server's own time per operation, which Dataverse spends one operation after another inside
    /// a $batch. <see cref="Latency"/> models the round trip; this models the work.
    /// </summary>
    public TimeSpan OperationLatency { get; init; }
}
