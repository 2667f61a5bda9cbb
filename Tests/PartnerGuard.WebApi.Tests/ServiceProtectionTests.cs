using PartnerGuard.Testing;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// "Service protection API limits" (learn.microsoft.com/power-apps/developer/data-platform/api-limits): per-user
/// sliding windows for requests (0x80072322) and execution time (0x80072321), a concurrency cap (0x80072326), and 429
/// with Retry-After in seconds. Windows are compressed and time is a fake clock, so nothing sleeps.
/// </summary>
public sealed class ServiceProtectionTests
{
    private static readonly Guid Ignorer = Guid.NewGuid();
    private static readonly Guid Honourer = Guid.NewGuid();

    private static WebApiFixture Create(FakeTimeProvider time, ServiceProtectionOptions protection, FaultInjectionOptions? faults = null) => new(
        new DataverseWebApiOptions
        {
            Time = time,
            ServiceProtection = protection,
            Faults = faults ?? new FaultInjectionOptions(),
            Tokens = new Dictionary<string, Guid> { ["ignorer"] = Ignorer, ["honourer"] = Honourer },
        },
        org =>
        {
            RoleAssignments.CreateAdministrator(org, "Ignores Retry-After", id: Ignorer);
            RoleAssignments.CreateAdministrator(org, "Honours Retry-After", id: Honourer);
        });

    private static Task<(HttpResponseMessage Response, System.Text.Json.JsonElement Body)> WhoAmI(WebApiFixture api, string token)
        => api.GetAsync("WhoAmI", ("Authorization", "Bearer " + token));

    // Request limit: the documented 6,000 per 300 s compressed 60× to 6,000 per 5 s, with a limit of 10 so the test is
    // small. Retry-After is the time until the oldest request leaves the window (5 s here). A client that ignores it and
    // keeps sending 5 requests a second keeps its window full (throttled requests count) and never gets through; a
    // client that waits the Retry-After it was given gets through at once.
    [Fact]
    public async Task RequestLimit_IgnoringRetryAfterKeepsFailing_HonouringItGetsThrough()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var api = Create(time, new ServiceProtectionOptions().Compressed(60, requestLimit: 10));
        foreach (var token in new[] { "ignorer", "honourer" })
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await WhoAmI(api, token)).Response.StatusCode);
            }
        }

        var (throttled, body) = await WhoAmI(api, "honourer");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("0x80072322", WebApiFixture.ErrorCode(body));
        Assert.Equal("Number of requests exceeded the limit of 10 over time window of 5 seconds.", WebApiFixture.ErrorMessage(body));
        var wait = throttled.Headers.RetryAfter!.Delta!.Value;
        Assert.Equal(TimeSpan.FromSeconds(5), wait);

        var honourerNextTry = time.GetUtcNow() + wait;
        var ignorerSuccesses = 0;
        var honourerSuccesses = 0;
        for (var second = 1; second <= 30; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            for (var i = 0; i < 5; i++)
            {
                if ((await WhoAmI(api, "ignorer")).Response.StatusCode == HttpStatusCode.OK)
                {
                    ignorerSuccesses++;
                }
            }

            if (time.GetUtcNow() >= honourerNextTry)
            {
                var (response, _) = await WhoAmI(api, "honourer");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    honourerSuccesses++;
                }
                else
                {
                    honourerNextTry = time.GetUtcNow() + response.Headers.RetryAfter!.Delta!.Value;
                }
            }
        }

        Assert.Equal(0, ignorerSuccesses);
        Assert.Equal(26, honourerSuccesses); // seconds 5..30, one request each, all admitted
    }

    // Execution time: 1 s of simulated server time per operation against a 5 s budget per 60 s window. A $batch counts as
    // one request but charges every operation (webapi-notes §3.1).
    [Fact]
    public async Task ExecutionTimeLimit_ThrottlesWithRetryAfterUntilTimeLeavesWindow()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var api = Create(time, new ServiceProtectionOptions
        {
            RequestLimit = 1000,
            Window = TimeSpan.FromSeconds(60),
            ExecutionTimeLimit = TimeSpan.FromSeconds(5),
            ExecutionTimePerOperation = TimeSpan.FromSeconds(1),
        });
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"x"}""", ("Authorization", "Bearer honourer"))).Response.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        var targets = string.Join(",", Enumerable.Range(0, 3).Select(i => $$"""{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"b{{i}}"}"""));
        var (bulk, _) = await api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.CreateMultiple", $$"""{"Targets":[{{targets}}]}""", ("Authorization", "Bearer honourer"));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);

        var (throttled, body) = await WhoAmI(api, "honourer");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("0x80072321", WebApiFixture.ErrorCode(body));
        // 5 s used: 2 s at t=0 and 3 s at t=10. One more fits once the first second leaves the window, at t=60.
        Assert.Equal(TimeSpan.FromSeconds(50), throttled.Headers.RetryAfter!.Delta);

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(HttpStatusCode.OK, (await WhoAmI(api, "honourer")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WhoAmI(api, "ignorer")).Response.StatusCode); // limits are per user
    }

    // The defaults are Dataverse's documented limits per user and web server ("Service protection API limits",
    // learn.microsoft.com/power-apps/developer/data-platform/api-limits; webapi-notes §4.1): 6,000 requests and
    // 1,200,000 ms of combined execution time per 300-second sliding window, and 52 concurrent requests.
    [Fact]
    public void Defaults_AreTheDocumentedLimits()
    {
        var limits = new ServiceProtectionOptions();

        Assert.True(limits.Enabled);
        Assert.Equal(6000, limits.RequestLimit);
        Assert.Equal(TimeSpan.FromSeconds(300), limits.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(1_200_000), limits.ExecutionTimeLimit);
        Assert.Equal(52, limits.ConcurrencyLimit);
    }

    // The Web API's Retry-After is an integer number of seconds (webapi-notes §4.2, from "Service protection API
    // limits": "a Retry-After header in seconds"). A compressed window makes the exact wait fractional (1.3 s here);
    // the header still carries whole seconds, rounded up so a client that waits it is never early.
    [Fact]
    public async Task RetryAfter_IsWholeSeconds_RoundedUp()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var api = Create(time, new ServiceProtectionOptions { RequestLimit = 1, Window = TimeSpan.FromMilliseconds(1500) });
        Assert.Equal(HttpStatusCode.OK, (await WhoAmI(api, "honourer")).Response.StatusCode);
        time.Advance(TimeSpan.FromMilliseconds(200));

        var (throttled, body) = await WhoAmI(api, "honourer");

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("0x80072322", WebApiFixture.ErrorCode(body));
        Assert.Equal("2", Assert.Single(throttled.Headers.GetValues("Retry-After")));
    }

    // Concurrency: the limit errors immediately (0x80072326); requests held by injected latency are in flight until
    // the fake clock moves.
    [Fact]
    public async Task ConcurrencyLimit_RefusesTheRequestOverTheCap()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var api = Create(time, new ServiceProtectionOptions { ConcurrencyLimit = 2 }, new FaultInjectionOptions { Latency = TimeSpan.FromMilliseconds(500) });
        var first = WhoAmI(api, "honourer");
        var second = WhoAmI(api, "honourer");
        var (third, body) = await WhoAmI(api, "honourer");

        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal("0x80072326", WebApiFixture.ErrorCode(body));
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.False(first.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpStatusCode.OK, (await first).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second).Response.StatusCode);
        var after = WhoAmI(api, "honourer");
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpStatusCode.OK, (await after).Response.StatusCode);
    }

    // Transient faults are drawn from a seeded generator: the same seed gives the same sequence of 503s.
    [Fact]
    public async Task TransientFaults_DeterministicForASeed()
    {
        async Task<string> Run(int seed)
        {
            using var api = Create(new FakeTimeProvider(), new ServiceProtectionOptions { Enabled = false }, new FaultInjectionOptions { Seed = seed, TransientFailureRate = 0.3 });
            var statuses = new List<int>();
            for (var i = 0; i < 100; i++)
            {
                statuses.Add((int)(await WhoAmI(api, "honourer")).Response.StatusCode);
            }

            Assert.All(statuses, s => Assert.True(s is 200 or 503));
            var failures = statuses.Count(s => s == 503);
            Assert.InRange(failures, 15, 45);
            return string.Join(",", statuses);
        }

        Assert.Equal(await Run(42), await Run(42));
        Assert.NotEqual(await Run(42), await Run(7));
    }

    // Injected timeouts hold the request for the configured delay on the fake clock, then answer 504 without running it.
    [Fact]
    public async Task Timeouts_WaitThenAnswer504WithoutRunning()
    {
        var time = new FakeTimeProvider();
        using var api = Create(time, new ServiceProtectionOptions { Enabled = false }, new FaultInjectionOptions { TimeoutRate = 1, TimeoutDelay = TimeSpan.FromSeconds(30) });
        var pending = api.SendAsync(HttpMethod.Post, "accounts", """{"name":"never"}""");
        Assert.False(pending.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        var (response, body) = await pending;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("timed out", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal(0, api.Org.Count("account"));
    }

    // Every response carries x-ms-dop-hint and the x-ms-ratelimit-* debugging headers (webapi-notes §1.2, §4.4).
    [Fact]
    public async Task Responses_CarryDopHintAndRemainingBudget()
    {
        var time = new FakeTimeProvider();
        using var api = Create(time, new ServiceProtectionOptions { RequestLimit = 100 });
        var (response, _) = await WhoAmI(api, "honourer");

        Assert.Equal("8", response.Headers.GetValues("x-ms-dop-hint").Single());
        Assert.Equal("99", response.Headers.GetValues("x-ms-ratelimit-burst-remaining-xrm-requests").Single());
    }

    // Faults.OperationLatency: a stand-in for the server's time per operation, paid once per operation the request
    // held (three for an UpdateMultiple of three targets), after the request ran. The fake clock decides when it ends.
    [Fact]
    public async Task OperationLatency_IsPaidOncePerOperation()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var ids = new List<Guid>();
        using var api = new WebApiFixture(
            new DataverseWebApiOptions
            {
                Time = time,
                ServiceProtection = new ServiceProtectionOptions { Enabled = false },
                Faults = new FaultInjectionOptions { OperationLatency = TimeSpan.FromMilliseconds(100) },
            },
            org => ids.AddRange(org.Seed(Enumerable.Range(0, 3).Select(i => new Microsoft.Xrm.Sdk.Entity("account") { ["name"] = $"Account {i}" }))));
        var targets = string.Join(",", ids.Select(id => $$"""{"@odata.type":"Microsoft.Dynamics.CRM.account","accountid":"{{id:D}}","name":"renamed"}"""));

        var update = api.SendAsync(HttpMethod.Post, "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", $$"""{"Targets":[{{targets}}]}""");
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(update.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await update).Response.StatusCode);

        var whoAmI = WhoAmI(api, "honourer");
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(whoAmI.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await whoAmI).Response.StatusCode);
    }
}
