using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Journal;

namespace PartnerGuard.Integration.Execution;

/// <summary>The result of a run (or of the part done before it was interrupted).</summary>
internal sealed record RunSummary(string RunId, string Operation, IReadOnlyList<AccountResult> Results, bool Interrupted, string? InterruptionReason)
{
    public int Applied => Results.Count(r => r.Outcome == AccountOutcome.Applied);

    public int Failed => Results.Count(r => r.Outcome == AccountOutcome.Failed);

    public int Skipped => Results.Count(r => r.Outcome == AccountOutcome.Skipped);

    public int InDoubt => Results.Count(r => r.Outcome == AccountOutcome.InDoubt);

    /// <summary>DESIGN §6: 4 interrupted (resumable), 2 per-record failures, 0 done.</summary>
    public int ExitCode => Interrupted ? ExitCodes.Interrupted : Failed > 0 ? ExitCodes.RecordFailures : ExitCodes.Done;
}
