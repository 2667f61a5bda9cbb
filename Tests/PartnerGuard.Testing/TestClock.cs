using Microsoft.Extensions.Time.Testing;

namespace PartnerGuard.Testing;

/// <summary>The one fake clock of the tests: <see cref="FakeTimeProvider"/>, started at a fixed instant.</summary>
public static class TestClock
{
    /// <summary>The instant every test clock starts at: 27 November 2026, 09:30 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A fake clock at <see cref="Start"/> (or the instant given) that moves only when the test advances it.</summary>
    public static FakeTimeProvider At(DateTimeOffset? start = null) => new(start ?? Start);
}
