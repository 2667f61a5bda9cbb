using System.Runtime.InteropServices;
using PartnerGuard.Integration.Cli;

// Ctrl+C and SIGTERM cancel the command instead of ending the process: a run stops taking batches, finishes and
// journals the ones in flight, saves, and exits 4 (Interrupted) with the command that resumes it.
using var interrupt = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
return await PartnerGuardCli.InvokeAsync(args, CliContext.ForConsole(), interrupt.Token);

void Interrupt(PosixSignalContext signal)
{
    signal.Cancel = true;
    interrupt.Cancel();
}
