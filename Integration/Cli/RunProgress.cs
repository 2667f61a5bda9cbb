using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain.Execution;
using Spectre.Console;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// A run's progress on the console: one progress bar at a terminal (it shows only the operation, run id and counts,
/// so there is nothing to scrub); plain lines, one per finished batch, when the output is redirected (jobs, CI, tests).
/// </summary>
internal sealed class RunProgress(CliContext context) : IRunProgress
{
    public async Task<RunSummary> TrackAsync(RunKind kind, string runId, int total, Func<IProgress<int>, Task<RunSummary>> run, CancellationToken cancellationToken)
    {
        if (context.OutputIsTerminal)
        {
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var display = (context.Terminal ?? AnsiConsole.Console).Progress();
            display.AutoClear = false;
            return await display.StartAsync(async bar =>
            {
                var task = bar.AddTask($"{kind.Operation} {Markup.Escape(runId)}", maxValue: Math.Max(total, 1));
                return await run(new Immediate(n => task.Increment(n))).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        var done = 0;
        return await run(new Immediate(n =>
        {
            var processed = Interlocked.Add(ref done, n);
            context.Out.WriteLine($"  {kind.Operation}: {processed} of {total} accounts processed");
        })).ConfigureAwait(false);
    }
}
