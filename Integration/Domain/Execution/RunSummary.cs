using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// The result of a run (or of the part done before it was interrupted), as counts: it does not hold a result per
/// account (those go to the results CSV as batches finish), so it is the same size for ten accounts or a million.
/// </summary>
/// <param name="Accounts">Accounts the run was given (the plan's rows, or the accounts undo restores).</param>
/// <param name="Failures">The first <see cref="RunTally.KeptFailures"/> failures, in the order they were recorded.</param>
/// <param name="Partners">Per target partner (null: none): accounts the run read for it and how many of them were applied.</param>
internal sealed record RunSummary(
    string RunId,
    string Operation,
    int Accounts,
    int Applied,
    int Failed,
    int Skipped,
    bool Interrupted,
    string? InterruptionReason,
    IReadOnlyList<AccountResult> Failures,
    IReadOnlyList<PartnerTally> Partners)
{
    /// <summary>Accounts without a recorded result: sent but not answered, or not reached before the run stopped.</summary>
    public int InDoubt => Math.Max(0, Accounts - Applied - Failed - Skipped);

    /// <summary>DESIGN §6: 4 interrupted (resumable), 2 per-record failures, 0 done.</summary>
    public int ExitCode => Interrupted ? ExitCodes.Interrupted : Failed > 0 ? ExitCodes.RecordFailures : ExitCodes.Done;

    /// <summary>A run that stopped before it could record anything.</summary>
    public static RunSummary Stopped(string runId, string operation, int accounts, string reason) =>
        new(runId, operation, accounts, 0, 0, 0, Interrupted: true, reason, [], []);
}

/// <summary>Accounts of a run per target partner (null: no partner, e.g. an undo back to none).</summary>
internal sealed record PartnerTally(Guid? PartnerId, int Accounts, int Applied);

/// <summary>
/// Counts a run's results as they come (thread-safe): per outcome, per target partner (bounded by the number of
/// partners) and the first failures. Each result is also passed to an optional observer (the results CSV), one at a
/// time.
/// </summary>
internal sealed class RunTally(Action<ChangeRequest, AccountResult>? observer = null)
{
    /// <summary>Failures kept for the summary and the console; the results CSV has them all.</summary>
    public const int KeptFailures = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, (int Accounts, int Applied)> _partners = [];
    private readonly List<AccountResult> _failures = [];
    private int _applied;
    private int _failed;
    private int _skipped;

    public void Add(ChangeRequest request, AccountResult result)
    {
        lock (_lock)
        {
            var partner = request.Target.PartnerId ?? Guid.Empty;
            var (accounts, applied) = _partners.GetValueOrDefault(partner);
            switch (result.Outcome)
            {
                case AccountOutcome.Applied:
                    _applied++;
                    applied++;
                    break;
                case AccountOutcome.Failed:
                    _failed++;
                    if (_failures.Count < KeptFailures)
                    {
                        _failures.Add(result);
                    }

                    break;
                case AccountOutcome.Skipped:
                    _skipped++;
                    break;
                default:
                    break;
            }

            _partners[partner] = (accounts + 1, applied);
            observer?.Invoke(request, result);
        }
    }

    public RunSummary Summary(string runId, string operation, int accounts, string? interruption)
    {
        lock (_lock)
        {
            var partners = _partners
                .Select(p => new PartnerTally(p.Key == Guid.Empty ? null : p.Key, p.Value.Accounts, p.Value.Applied))
                .OrderByDescending(p => p.Accounts).ThenBy(p => p.PartnerId)
                .ToList();
            return new RunSummary(runId, operation, accounts, _applied, _failed, _skipped, interruption is not null, interruption, _failures.ToList(), partners);
        }
    }
}
