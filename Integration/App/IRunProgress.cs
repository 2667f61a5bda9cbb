using PartnerGuard.Integration.Domain.Execution;

namespace PartnerGuard.Integration.App;

/// <summary>
/// How a run shows its progress while <paramref name="run"/> executes: the console draws a bar at a terminal and
/// prints a line per batch otherwise (<c>Cli.RunProgress</c>).
/// </summary>
internal interface IRunProgress
{
    Task<RunSummary> TrackAsync(RunKind kind, string runId, int total, Func<IProgress<int>, Task<RunSummary>> run, CancellationToken cancellationToken);
}
