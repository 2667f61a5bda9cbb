using System.Diagnostics;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Samples this process's managed heap (bytes in use, <see cref="GC.GetTotalMemory(bool)"/>) and working set every ten
/// milliseconds while a step runs, and keeps the peaks. The emulator runs in another process, so this is the client
/// alone. A sampled peak can miss a spike shorter than the interval; it never overstates one.
/// </summary>
internal sealed class PeakMemory : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _heap;
    private long _workingSet;
    private long _liveHeap;
    private readonly Task _liveSampler = Task.CompletedTask;

    private PeakMemory(bool measureLive)
    {
        Sample();
        if (measureLive)
        {
            Max(ref _liveHeap, GC.GetTotalMemory(forceFullCollection: true));
            _liveSampler = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(LiveInterval);
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                    {
                        Max(ref _liveHeap, GC.GetTotalMemory(forceFullCollection: true));
                    }
                }
                catch (OperationCanceledException)
                {
                    // stopped
                }
            });
        }

        _sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    Sample();
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
    }

    /// <summary>Starts sampling after a full, compacting collection, so earlier steps' garbage does not count.</summary>
    /// <param name="measureLive">Also sample the live heap (<see cref="PeakLiveHeapBytes"/>), at the cost of a full collection every 250 ms.</param>
    public static PeakMemory Start(bool measureLive = false)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return new PeakMemory(measureLive);
    }

    public long PeakHeapBytes => Interlocked.Read(ref _heap);

    public long PeakWorkingSetBytes => Interlocked.Read(ref _workingSet);

    /// <summary>
    /// The largest live heap: with <see cref="Start(bool)"/>'s measureLive, every 250 ms a full collection and the bytes
    /// left (<see cref="GC.GetTotalMemory(bool)"/> with true). What the step keeps alive, without the garbage waiting for
    /// the next collection that <see cref="PeakHeapBytes"/> counts; the forced collections slow the step a little.
    /// </summary>
    public long PeakLiveHeapBytes => Interlocked.Read(ref _liveHeap);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampler.ConfigureAwait(false);
        await _liveSampler.ConfigureAwait(false);
        Sample();
        _stop.Dispose();
    }

    private void Sample()
    {
        Max(ref _heap, GC.GetTotalMemory(forceFullCollection: false));
        using var self = Process.GetCurrentProcess();
        Max(ref _workingSet, self.WorkingSet64);
    }

    private static void Max(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
