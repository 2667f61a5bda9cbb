namespace PartnerGuard.Integration.App;

/// <summary>
/// Progress reported on the reporting thread, at once (<see cref="Progress{T}"/> would post it to the thread pool,
/// where it could land after the summary line or after the bar's last frame).
/// </summary>
internal sealed class Immediate(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
