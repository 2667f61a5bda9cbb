using System.Globalization;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>A refusal by service protection: the error code, its message and how long to wait.</summary>
internal sealed record Throttle(int ErrorCode, string Message, TimeSpan RetryAfter);

/// <summary>
/// Service protection API limits, per user, on sliding windows measured on the options' clock
/// ("Service protection API limits", learn.microsoft.com/power-apps/developer/data-platform/api-limits):
/// number of requests (0x80072322), combined execution time (0x80072321) and concurrent requests (0x80072326).
/// Retry-After is the exact time until the window lets one more request in, rounded up to whole seconds.
/// Deterministic: it depends only on the clock and the order of requests.
/// </summary>
internal sealed class ServiceProtection
{
    public const int RequestsExceeded = -2147015902;      // 0x80072322
    public const int ExecutionTimeExceeded = -2147015903; // 0x80072321
    public const int ConcurrencyExceeded = -2147015898;   // 0x80072326

    private readonly ServiceProtectionOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, UserWindow> _users = new();
    private readonly object _gate = new();

    public ServiceProtection(ServiceProtectionOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    private sealed class UserWindow
    {
        public readonly Queue<DateTimeOffset> Requests = new();
        public readonly Queue<(DateTimeOffset At, TimeSpan Cost)> Execution = new();
        public TimeSpan ExecutionTotal;
        public int InFlight;
    }

    /// <summary>Admits a request (returns null) or refuses it with the limit it hit.</summary>
    public Throttle? TryEnter(Guid user)
    {
        if (!_options.Enabled)
        {
            return null;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var window = Window(user, now);
            if (window.InFlight >= _options.ConcurrencyLimit)
            {
                return new Throttle(ConcurrencyExceeded,
                    $"Number of concurrent requests exceeded the limit of {_options.ConcurrencyLimit}.", TimeSpan.FromSeconds(1));
            }

            if (window.Requests.Count >= _options.RequestLimit)
            {
                if (_options.CountThrottledRequests)
                {
                    window.Requests.Enqueue(now);
                }

                // The request at index (count - limit) must leave the window before one more fits.
                var blocking = window.Requests.ElementAt(window.Requests.Count - _options.RequestLimit);
                return new Throttle(RequestsExceeded,
                    $"Number of requests exceeded the limit of {_options.RequestLimit} over time window of {Seconds(_options.Window)} seconds.",
                    RoundUp(blocking + _options.Window - now));
            }

            if (window.ExecutionTotal >= _options.ExecutionTimeLimit)
            {
                var remaining = window.ExecutionTotal;
                var until = now;
                foreach (var (at, cost) in window.Execution)
                {
                    remaining -= cost;
                    until = at + _options.Window;
                    if (remaining < _options.ExecutionTimeLimit)
                    {
                        break;
                    }
                }

                return new Throttle(ExecutionTimeExceeded,
                    $"Combined execution time of incoming requests exceeded limit of {_options.ExecutionTimeLimit.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} milliseconds over time window of {Seconds(_options.Window)} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
                    RoundUp(until - now));
            }

            window.Requests.Enqueue(now);
            window.InFlight++;
            return null;
        }
    }

    /// <summary>Ends an admitted request and charges its execution time to the window.</summary>
    public void Exit(Guid user, TimeSpan executionTime)
    {
        if (!_options.Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var window = Window(user, _time.GetUtcNow());
            window.InFlight--;
            if (executionTime > TimeSpan.Zero)
            {
                window.Execution.Enqueue((_time.GetUtcNow(), executionTime));
                window.ExecutionTotal += executionTime;
            }
        }
    }

    /// <summary>What is left of the user's window: requests and execution time (the x-ms-ratelimit-* headers).</summary>
    public (int Requests, TimeSpan ExecutionTime) Remaining(Guid user)
    {
        if (!_options.Enabled)
        {
            return (int.MaxValue, TimeSpan.MaxValue);
        }

        lock (_gate)
        {
            var window = Window(user, _time.GetUtcNow());
            return (Math.Max(0, _options.RequestLimit - window.Requests.Count), _options.ExecutionTimeLimit - window.ExecutionTotal);
        }
    }

    private UserWindow Window(Guid user, DateTimeOffset now)
    {
        if (!_users.TryGetValue(user, out var window))
        {
            window = new UserWindow();
            _users[user] = window;
        }

        var start = now - _options.Window;
        while (window.Requests.Count > 0 && window.Requests.Peek() <= start)
        {
            window.Requests.Dequeue();
        }

        while (window.Execution.Count > 0 && window.Execution.Peek().At <= start)
        {
            window.ExecutionTotal -= window.Execution.Dequeue().Cost;
        }

        return window;
    }

    private static TimeSpan RoundUp(TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        return TimeSpan.FromSeconds(seconds);
    }

    private static string Seconds(TimeSpan span) => ((long)Math.Round(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Deterministic fault draws: one per request, from a seeded generator.</summary>
internal sealed class FaultInjector
{
    private readonly FaultInjectionOptions _options;
    private readonly Random _random;
    private readonly object _gate = new();

    public FaultInjector(FaultInjectionOptions options)
    {
        _options = options;
        _random = new Random(options.Seed);
    }

    public enum Fault
    {
        None,
        Transient,
        Timeout,

        /// <summary>The request runs, then its answer is lost (writes only).</summary>
        LostAnswer,
    }

    /// <param name="write">Whether the request writes (only writes can lose their answer).</param>
    public Fault Next(bool write)
    {
        if (_options.TransientFailureRate <= 0 && _options.TimeoutRate <= 0 && _options.LostAnswerRate <= 0)
        {
            return Fault.None;
        }

        double draw;
        lock (_gate)
        {
            draw = _random.NextDouble();
        }

        if (draw < _options.TransientFailureRate)
        {
            return Fault.Transient;
        }

        if (draw < _options.TransientFailureRate + _options.TimeoutRate)
        {
            return Fault.Timeout;
        }

        return write && draw < _options.TransientFailureRate + _options.TimeoutRate + _options.LostAnswerRate ? Fault.LostAnswer : Fault.None;
    }
}
