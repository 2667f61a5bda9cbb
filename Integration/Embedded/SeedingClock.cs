namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The embedded org's clock while the demo data set is seeded: a fixed moment (<see cref="DemoDataSet.SeededOn"/>),
/// then, once released, the real clock.
/// </summary>
/// <remarks>
/// Two reasons. The seeded rows get the same created-on and decided-on times on every first run, so the data set
/// is deterministic. And the channel plugin caches settings and rules per organization for two minutes measured
/// on the operation's time, treating an entry more than two minutes away in either direction as stale (PolicyCache):
/// the deals seeded in Audit mode load the settings at the seeding moment, so once the clock is real again the
/// switch to Enforce is read on the first save instead of two minutes later.
/// </remarks>
internal sealed class SeedingClock(TimeProvider real, DateTimeOffset seededOn) : TimeProvider
{
    private int _released;

    public override DateTimeOffset GetUtcNow() => Volatile.Read(ref _released) == 0 ? seededOn : real.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;

    public override long TimestampFrequency => real.TimestampFrequency;

    public override long GetTimestamp() => real.GetTimestamp();

    /// <summary>From now on the org runs on the real clock.</summary>
    public void Release() => Interlocked.Exchange(ref _released, 1);
}
