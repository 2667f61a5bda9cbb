using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// The retry policy of every Web API request, built on Microsoft.Extensions.Http.Resilience:
/// 429 waits exactly the server's Retry-After (webapi-notes §4.2: "wait the full Retry-After");
/// transient 5xx, 408, timeouts and network faults back off exponentially with jitter; the whole
/// logical request is bounded by <see cref="WebApiOptions.TotalTimeout"/>. Each attempt also passes the client-wide
/// <see cref="ServiceProtectionGate"/> (between the retry and the attempt timeout).
/// </summary>
internal static class DataverseResilience
{
    private static readonly HttpRequestOptionsKey<long> StartedKey = new("PartnerGuard.Started");
    private static readonly HttpRequestOptionsKey<bool> NotResentKey = new("PartnerGuard.NotResentAfterUnknownOutcome");

    public static ResiliencePipeline<HttpResponseMessage> Build(WebApiOptions options, TimeProvider time, Action<RetryNotice>? onRetry = null)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = options.RetryMaxDelay,
            ShouldRetryAfterHeader = true,
        };
        var transient = retry.ShouldHandle;
        retry.ShouldHandle = async args =>
        {
            if (!await transient(args).ConfigureAwait(false))
            {
                return false;
            }

            // A write whose caller re-reads before re-sending is retried only when it surely did not run: refused
            // by service protection (429) or never connected. Any other failure may have come after the server
            // applied it (a lost answer), so it goes back to the caller (issue #12 defect 9).
            var response = args.Outcome.Result;
            var sent = response?.RequestMessage ?? args.Context.GetRequestMessage();
            if (sent is not null && sent.Options.TryGetValue(NotResentKey, out var notResent) && notResent && !SurelyNotRun(args.Outcome))
            {
                return false;
            }

            // Bounded total time: do not start a wait the budget cannot cover; hand the throttled
            // response back instead (the caller stops and can resume later).
            if (response?.RequestMessage is { } request
                && request.Options.TryGetValue(StartedKey, out var started)
                && RetryAfter(response, time) is { } wait)
            {
                var elapsed = time.GetElapsedTime(started);
                if (elapsed + wait > options.TotalTimeout)
                {
                    return false;
                }
            }

            return true;
        };
        retry.OnRetry = args =>
        {
            onRetry?.Invoke(new RetryNotice(
                args.AttemptNumber + 1,
                args.RetryDelay,
                args.Outcome.Result?.StatusCode,
                args.Outcome.Exception?.GetType().Name));
            return default;
        };

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        builder.AddRetry(retry);
        return builder.Build();
    }

    /// <summary>
    /// The timeout of one attempt, or null when <see cref="WebApiOptions.AttemptTimeout"/> is off. A pipeline of its
    /// own, inside the service-protection gate, so that time held at the gate does not count against an attempt.
    /// </summary>
    public static ResiliencePipeline<HttpResponseMessage>? BuildAttemptTimeout(WebApiOptions options, TimeProvider time) =>
        options.AttemptTimeout is { } attempt
            ? new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }.AddTimeout(attempt).Build()
            : null;

    /// <summary>When the request's total time budget ends (its start plus <see cref="WebApiOptions.TotalTimeout"/>); null if not stamped.</summary>
    public static DateTimeOffset? Deadline(HttpRequestMessage request, WebApiOptions options, TimeProvider time) =>
        request.Options.TryGetValue(StartedKey, out var started)
            ? time.GetUtcNow() + (options.TotalTimeout - time.GetElapsedTime(started))
            : null;

    /// <summary>
    /// Marks a write that is not to be sent again after a failure whose outcome is unknown (5xx, 408, a timeout, a
    /// connection lost after sending): the caller re-reads what it wrote and sends again only what is missing.
    /// </summary>
    public static void DoNotResendAfterUnknownOutcome(HttpRequestMessage request) => request.Options.Set(NotResentKey, true);

    /// <summary>True when the write surely did not run: 429 (service protection refuses before running) or no connection made.</summary>
    private static bool SurelyNotRun(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests }
        || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>Stamps the request with its start time; the budget check above reads it.</summary>
    public static void MarkStarted(HttpRequestMessage request, TimeProvider time) =>
        request.Options.Set(StartedKey, time.GetTimestamp());

    /// <summary>The wait a response asks for (Retry-After as seconds or as a date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

/// <summary>One retry about to happen: which attempt, how long the wait, and why.</summary>
internal sealed record RetryNotice(int Attempt, TimeSpan Delay, HttpStatusCode? Status, string? Exception);
