using System.Net;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// Client-wide pacing under Dataverse's service protection limits (webapi-notes §4.2–4.4), shared by every request
/// sent through one client:
/// <list type="bullet">
/// <item>a <b>gate</b>: once any request is refused (429 with Retry-After, or one of the three service-protection
/// codes), every later attempt holds until that Retry-After has passed, instead of each worker discovering the
/// limit on its own. Attempts already in flight are not cancelled; a later refusal can only push the gate later.</item>
/// <item>a <b>concurrency limit</b> on attempts in flight, adjusted like TCP congestion control: it starts at one and
/// grows by one per success (slow start) up to the threshold, then by one per window of successes; a refusal halves
/// it (once per episode: the attempts already in flight when the gate closed do not halve it again). It is never
/// above the server's x-ms-dop-hint or the user's maximum, and never below one.</item>
/// </list>
/// This follows Microsoft's advice to ramp up until 429s appear and let Retry-After set the pace; it computes no
/// rate from the x-ms-ratelimit-* headers. All time comes from the <see cref="TimeProvider"/>, so tests use a fake clock.
/// </summary>
internal sealed class ServiceProtectionGate
{
    /// <summary>The three service-protection error codes (webapi-notes §4.1): requests, execution time, concurrency.</summary>
    public static readonly IReadOnlySet<string> ServiceProtectionCodes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "0x80072322", "0x80072321", "0x80072326",
    };

    private readonly Lock _lock = new();
    private readonly DopHint _hint;
    private readonly int _maximum;
    private readonly TimeProvider _time;
    private readonly TimeSpan _holdWithoutRetryAfter;
    private readonly List<TaskCompletionSource> _waiters = [];
    private DateTimeOffset _openAt = DateTimeOffset.MinValue;
    private long _episode;
    private int _limit = 1;
    private int _threshold = int.MaxValue;
    private int _credit;
    private int _inFlight;
    private DataverseError? _lastRefusal;
    private long _refusals;
    private long _holds;

    /// <param name="hint">The server's x-ms-dop-hint, read from every response.</param>
    /// <param name="maximum">The user's --max-parallelism (upper bound whatever the hint says).</param>
    /// <param name="time">The clock.</param>
    /// <param name="holdWithoutRetryAfter">How long the gate holds after a refusal that carries no Retry-After.</param>
    public ServiceProtectionGate(DopHint hint, int maximum, TimeProvider time, TimeSpan holdWithoutRetryAfter)
    {
        _hint = hint;
        _maximum = Math.Max(1, maximum);
        _time = time;
        _holdWithoutRetryAfter = holdWithoutRetryAfter;
    }

    /// <summary>The current limit on attempts in flight (whole attempts; between 1 and the cap).</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return CurrentLimit();
            }
        }
    }

    /// <summary>Attempts in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Attempts waiting for the gate to open or for a slot.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count + (int)Interlocked.Read(ref _holds);
            }
        }
    }

    /// <summary>When the gate opens again; at or before now when it is open.</summary>
    public DateTimeOffset OpenAt
    {
        get
        {
            lock (_lock)
            {
                return _openAt;
            }
        }
    }

    /// <summary>Service-protection refusals seen so far.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>
    /// Waits until the gate is open and a slot is free, then takes the slot. Throws a throttling
    /// <see cref="DataverseException"/> without waiting when the gate opens only after <paramref name="deadline"/>
    /// (the request's total time budget): the caller stops and can resume later, as with a Retry-After beyond it.
    /// </summary>
    public async Task<Slot> EnterAsync(DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan hold;
            TaskCompletionSource? waiter = null;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (_openAt > now)
                {
                    if (deadline is { } end && _openAt > end)
                    {
                        var refusal = _lastRefusal;
                        throw new DataverseException(new DataverseError(
                            (HttpStatusCode)429,
                            refusal?.Code ?? string.Empty,
                            $"Dataverse's service protection limits hold every request until {_openAt:HH:mm:ss} UTC, after this request's time budget ends{(refusal is null ? "." : $" (last refusal: {refusal.Message})")}"));
                    }

                    hold = _openAt - now;
                }
                else if (_inFlight < CurrentLimit())
                {
                    _inFlight++;
                    return new Slot(_episode);
                }
                else
                {
                    hold = TimeSpan.Zero;
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiters.Add(waiter);
                }
            }

            if (waiter is null)
            {
                Interlocked.Increment(ref _holds);
                try
                {
                    await Task.Delay(hold, _time, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _holds);
                }
            }
            else
            {
                try
                {
                    await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    lock (_lock)
                    {
                        _waiters.Remove(waiter);
                    }

                    throw;
                }
            }
        }
    }

    /// <summary>Ends an attempt: frees its slot and adapts the gate and the limit to the answer.</summary>
    /// <param name="slot">The slot <see cref="EnterAsync"/> gave.</param>
    /// <param name="refusal">The service-protection error when the attempt was refused; null otherwise.</param>
    /// <param name="retryAfter">The refusal's Retry-After, when it had one.</param>
    /// <param name="succeeded">Whether the attempt got a successful answer (2xx); other failures leave the limit alone.</param>
    public void Exit(Slot slot, DataverseError? refusal, TimeSpan? retryAfter, bool succeeded)
    {
        List<TaskCompletionSource> wake;
        lock (_lock)
        {
            _inFlight--;
            if (refusal is not null)
            {
                Interlocked.Increment(ref _refusals);
                _lastRefusal = refusal;
                var now = _time.GetUtcNow();
                var openAt = now + (retryAfter ?? _holdWithoutRetryAfter);
                if (openAt > _openAt)
                {
                    _openAt = openAt;
                }

                // One decrease per episode: an attempt sent before this episode's first refusal came back was
                // already on its way, and its refusal says nothing new about the limit.
                if (slot.Episode == _episode)
                {
                    _episode++;
                    _threshold = Math.Max(1, CurrentLimit() / 2);
                    _limit = _threshold;
                    _credit = 0;
                }
            }
            else if (succeeded)
            {
                if (_limit < _threshold)
                {
                    _limit++; // slow start: one more per success, doubling per round of requests
                }
                else if (++_credit >= _limit)
                {
                    _limit++; // congestion avoidance: one more per round of successes
                    _credit = 0;
                }

                _limit = Math.Min(_limit, Cap());
            }

            wake = [.. _waiters];
            _waiters.Clear();
        }

        // Every waiter re-checks the gate and the limit; at most a few dozen workers, so waking all is cheap.
        foreach (var waiter in wake)
        {
            waiter.TrySetResult();
        }
    }

    private int Cap() => _hint.Effective(_maximum);

    private int CurrentLimit() => Math.Clamp(_limit, 1, Cap());

    /// <summary>A taken slot: the refusal episode current when its attempt was sent.</summary>
    internal readonly record struct Slot(long Episode);
}
