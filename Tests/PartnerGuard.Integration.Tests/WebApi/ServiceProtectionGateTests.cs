using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.WebApi;

/// <summary>
/// The client-wide service-protection gate and adaptive concurrency, on a fake clock that moves only when the test
/// moves it. Facts relied on (webapi-notes §4.2–4.4, "Service protection API limits",
/// learn.microsoft.com/power-apps/developer/data-platform/api-limits): a refusal is HTTP 429 with Retry-After in
/// whole seconds and one of 0x80072322 / 0x80072321 / 0x80072326 in the body; clients should run about
/// x-ms-dop-hint requests in parallel, ramp up until 429s appear, and let Retry-After set the pace.
/// </summary>
public sealed class ServiceProtectionGateTests
{
    private const string Refusal = """{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""";

    // A 429 storm with 8 requests in flight: the gate holds every later request (nothing new reaches the wire until
    // the Retry-After has passed), the 8 refusals halve the limit once (8 → 4, not 8 → 1), every refused request is
    // sent again exactly once after exactly the Retry-After, nothing is lost, and the limit then climbs back to the hint.
    [Fact]
    public async Task Storm_GateHoldsEveryone_LimitHalvesOnce_NothingLostOrDoubled_ThenRecovers()
    {
        var time = new CountingTimeProvider();
        var server = new HeldServer();
        var client = WebApiTestHarness.Create(server, time, out var gate);

        // Warm-up: slow start from 1, one more slot per success, up to the hint of 8 (7 successes: 1 → 8).
        var limits = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            await client.UpdateAsync("accounts", Id(100 + i), Body(), CancellationToken.None);
            limits.Add(gate.Limit);
        }

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 8], limits);

        // Storm: 8 requests in flight, all refused with Retry-After: 10.
        server.Hold = true;
        var storm = Enumerable.Range(1, 8).Select(i => client.UpdateAsync("accounts", Id(i), Body(), CancellationToken.None)).ToList();
        await server.ArrivalsAsync(8);
        Assert.Equal(8, server.InFlight);
        var timers = time.TimersCreated;
        server.AnswerHeld(8, () => Throttled(10));
        await time.TimersAsync(timers + 8); // each refused request's retry waits 10 s
        Assert.Equal(4, gate.Limit);
        Assert.Equal(8, gate.Refusals);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(10), gate.OpenAt);

        // A new request while the gate is shut waits at the gate and does not reach the wire.
        var sentBefore = server.Requests.Count;
        var late = client.UpdateAsync("accounts", Id(9), Body(), CancellationToken.None);
        await time.TimersAsync(timers + 9);
        Assert.Equal(sentBefore, server.Requests.Count);
        Assert.False(late.IsCompleted);

        // Just before the Retry-After has passed, still nothing is sent.
        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(sentBefore, server.Requests.Count);

        // Then the 8 retries and the late request go, at most 4 (then 5) in flight while the limit climbs again.
        server.ResetMaxInFlight();
        time.Advance(TimeSpan.FromTicks(1));
        for (var i = 0; i < 9; i++)
        {
            await server.ArrivalsAsync(1);
            server.AnswerHeld(1, () => NoContent());
        }

        await Task.WhenAll(storm.Append(late));
        Assert.InRange(server.MaxInFlight, 1, 5);
        Assert.Equal(6, gate.Limit); // congestion avoidance after the halving: 4 + 9 × ¼ (rounded down per step)

        var answered = server.Answered.Where(a => a.Id <= 9).ToList();
        Assert.All(Enumerable.Range(1, 8), i =>
        {
            Assert.Equal(1, answered.Count(a => a.Id == i && a.Status == HttpStatusCode.NoContent));
            Assert.Equal(1, answered.Count(a => a.Id == i && a.Status == HttpStatusCode.TooManyRequests));
        });
        Assert.Equal([HttpStatusCode.NoContent], answered.Where(a => a.Id == 9).Select(a => a.Status));

        // Recovery: one more slot per window of successes, back to the hint and no further.
        server.Hold = false;
        for (var i = 0; i < 20; i++)
        {
            await client.UpdateAsync("accounts", Id(200 + i), Body(), CancellationToken.None);
        }

        Assert.Equal(8, gate.Limit);
    }

    // The retried request still waits exactly the Retry-After (not more), and a gate that would open only after the
    // request's total time budget fails the request at once instead of waiting.
    [Fact]
    public async Task GateBeyondTheTotalBudget_FailsWithoutWaiting()
    {
        var time = new CountingTimeProvider();
        var server = new HeldServer { Answer = () => Throttled(3600) };
        var options = new WebApiOptions { AttemptTimeout = null, TotalTimeout = TimeSpan.FromMinutes(10) };
        var client = WebApiTestHarness.Create(server, time, out var gate, options);

        var first = await Assert.ThrowsAsync<DataverseException>(() => client.UpdateAsync("accounts", Id(1), Body(), CancellationToken.None));
        var second = await Assert.ThrowsAsync<DataverseException>(() => client.UpdateAsync("accounts", Id(2), Body(), CancellationToken.None));

        Assert.True(first.Error.IsThrottling);
        Assert.True(second.Error.IsThrottling);
        Assert.Equal("0x80072322", second.Error.Code);
        Assert.Contains("service protection", second.Error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests); // the second never reached the wire
        Assert.Equal(0, time.TimersCreated);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(1), gate.OpenAt);
    }

    // A refusal recognised by its code even when the status is not 429 (webapi-notes §4.2: handle the three codes in
    // the body too); other errors are not refusals.
    [Theory]
    [InlineData(429, "0x80040216", true)]
    [InlineData(503, "0x80072326", true)]
    [InlineData(503, "", false)]
    [InlineData(400, "0x80040265", false)]
    public async Task Refusal_Is429OrAServiceProtectionCode(int status, string code, bool refusal)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent("{\"error\":{\"code\":\"" + code + "\",\"message\":\"m\"}}", Encoding.UTF8, "application/json"),
        };

        var error = await ServiceProtectionHandler.RefusalAsync(response, CancellationToken.None);

        Assert.Equal(refusal, error is not null);
        Assert.Equal("m", (await DataverseErrorParser.ReadAsync(response, CancellationToken.None)).Message); // still readable
    }

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    private static JsonObject Body() => new() { ["name"] = "x" };

    private static HttpResponseMessage Throttled(int seconds)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(Refusal, Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.TryAddWithoutValidation("x-ms-dop-hint", "8");
        return response;
    }

    private static HttpResponseMessage NoContent()
    {
        var response = new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("x-ms-dop-hint", "8");
        return response;
    }

    /// <summary>A fake clock that counts (and signals) the timers created on it, so a test can wait for a wait to begin.</summary>
    private sealed class CountingTimeProvider : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        private readonly SemaphoreSlim _created = new(0);
        private int _count;
        private int _consumed;

        public int TimersCreated => Volatile.Read(ref _count);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _count);
            _created.Release();
            return timer;
        }

        public void Advance(TimeSpan by) => _fake.Advance(by);

        /// <summary>Waits until <paramref name="total"/> timers have been created since the start.</summary>
        public async Task TimersAsync(int total)
        {
            while (_consumed < total)
            {
                await _created.WaitAsync().ConfigureAwait(false);
                _consumed++;
            }
        }
    }

    /// <summary>A Dataverse stand-in that can hold requests until the test answers them, and records every answer.</summary>
    private sealed class HeldServer : HttpMessageHandler
    {
        private readonly ConcurrentQueue<TaskCompletionSource<HttpResponseMessage>> _held = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly ConcurrentQueue<(int Id, HttpStatusCode Status)> _answered = new();
        private readonly ConcurrentQueue<Uri> _requests = new();
        private int _inFlight;
        private int _maxInFlight;

        public volatile bool Hold;

        public Func<HttpResponseMessage> Answer { get; init; } = NoContent;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public IReadOnlyList<Uri> Requests => [.. _requests];

        public IReadOnlyList<(int Id, HttpStatusCode Status)> Answered => [.. _answered];

        public void ResetMaxInFlight() => Volatile.Write(ref _maxInFlight, 0);

        public async Task ArrivalsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await _arrived.WaitAsync().ConfigureAwait(false);
            }
        }

        public void AnswerHeld(int count, Func<HttpResponseMessage> answer)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(_held.TryDequeue(out var held), "No request is held.");
                held.SetResult(answer());
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Enqueue(request.RequestUri!);
            var now = Interlocked.Increment(ref _inFlight);
            int max;
            while ((max = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
            {
            }

            HttpResponseMessage response;
            if (Hold)
            {
                var held = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
                _held.Enqueue(held);
                _arrived.Release();
                response = await held.Task.ConfigureAwait(false);
            }
            else
            {
                response = Answer();
            }

            Interlocked.Decrement(ref _inFlight);
            var id = int.Parse(request.RequestUri!.AbsolutePath.Split('(', ')')[1][^12..], System.Globalization.CultureInfo.InvariantCulture);
            _answered.Enqueue((id, response.StatusCode));
            response.RequestMessage = request;
            return response;
        }
    }
}
