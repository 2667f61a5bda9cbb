using Azure.Core;
using Microsoft.Extensions.Http.Resilience;
using PartnerGuard.Integration.Dataverse.Connection;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// Composes the HttpClient the console uses for Dataverse:
/// start stamp → retry (resilience) → service-protection gate → attempt timeout → x-ms-dop-hint reader → bearer
/// token → transport. The token handler sits inside the retry so that each attempt carries a valid token; the hint
/// reader sees every attempt's response; the gate (one per client) holds every attempt after a service-protection
/// refusal and limits attempts in flight (<see cref="ServiceProtectionGate"/>). The transport is a SocketsHttpHandler without cookies (no server
/// affinity, webapi-notes §4.3), or any handler a caller passes in (the embedded emulator, tests).
/// </summary>
internal static class DataverseHttp
{
    public static HttpClient CreateClient(
        Uri environmentUrl,
        WebApiOptions options,
        DopHint dopHint,
        TimeProvider time,
        TokenCredential? credential,
        HttpMessageHandler? transport = null,
        Action<RetryNotice>? onRetry = null,
        ServiceProtectionGate? gate = null)
    {
        HttpMessageHandler inner = transport ?? new SocketsHttpHandler
        {
            UseCookies = false,
            MaxConnectionsPerServer = Math.Max(2, options.MaxDegreeOfParallelism * 2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };

        if (credential is not null)
        {
            var scope = environmentUrl.GetLeftPart(UriPartial.Authority) + "/.default";
            inner = new BearerTokenHandler(credential, scope, time) { InnerHandler = inner };
        }

        inner = new DopHintHandler(dopHint) { InnerHandler = inner };
        if (DataverseResilience.BuildAttemptTimeout(options, time) is { } attemptTimeout)
        {
            inner = new ResilienceHandler(attemptTimeout) { InnerHandler = inner };
        }

        gate ??= new ServiceProtectionGate(dopHint, options.MaxDegreeOfParallelism, time, options.RetryBaseDelay);
        inner = new ServiceProtectionHandler(gate, options, time) { InnerHandler = inner };
        inner = new ResilienceHandler(DataverseResilience.Build(options, time, onRetry)) { InnerHandler = inner };
        inner = new RequestStartHandler(time) { InnerHandler = inner };

        return new HttpClient(inner)
        {
            BaseAddress = new Uri(environmentUrl.GetLeftPart(UriPartial.Authority) + "/api/data/" + options.ApiVersion + "/"),
            // The total budget is enforced by the retry policy; this is the backstop for a hung attempt chain.
            Timeout = options.TotalTimeout + TimeSpan.FromMinutes(1),
        };
    }
}
