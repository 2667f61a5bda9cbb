namespace PartnerGuard.Integration.Domain;

/// <summary>Time as runs record it.</summary>
internal static class Clock
{
    /// <summary>
    /// <paramref name="now"/> in UTC, truncated to the second: the plan's created-on and the accounts' stamps carry
    /// no fractions, so a plan written and read back compares equal.
    /// </summary>
    public static DateTimeOffset ToSecond(DateTimeOffset now) =>
        new(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
