using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>Builds the real client over the real handler chain, with a fake transport and virtual time.</summary>
internal static class WebApiTestHarness
{
    public static readonly Uri OrgUrl = new("https://contoso.crm.dynamics.com");

    public static DataverseWebApiClient Create(
        FakeDataverseHandler transport,
        out VirtualTimeProvider time,
        WebApiOptions? options = null,
        Func<string>? batchIds = null)
    {
        time = new VirtualTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        options ??= new WebApiOptions { AttemptTimeout = null };
        var dop = new DopHint();
        var http = DataverseHttp.CreateClient(OrgUrl, options, dop, time, credential: null, transport);
        return new DataverseWebApiClient(http, options, dop, batchIds);
    }

    /// <summary>The real client over the real handler chain, on any clock and transport, with its gate in hand.</summary>
    public static DataverseWebApiClient Create(
        HttpMessageHandler transport,
        TimeProvider time,
        out ServiceProtectionGate gate,
        WebApiOptions? options = null)
    {
        options ??= new WebApiOptions { AttemptTimeout = null };
        var dop = new DopHint();
        gate = new ServiceProtectionGate(dop, options.MaxDegreeOfParallelism, time, options.RetryBaseDelay);
        var http = DataverseHttp.CreateClient(OrgUrl, options, dop, time, credential: null, transport, gate: gate);
        return new DataverseWebApiClient(http, options, dop);
    }
}
