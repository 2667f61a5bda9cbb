using System.Globalization;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Reports;

namespace PartnerGuard.Integration.App;

/// <summary>
/// The execution shared by `apply`, `distribute` and `undo`: journal, run record, runner, summary, reports. Memory
/// stays flat as the plan grows: requests are streamed from their file through the runner's bounded pipeline, results
/// are written to the results CSV as batches finish, and the summary, report and console figures are counts.
/// <para>
/// The steps are explicit and the command calls them in order: <see cref="PrepareAsync"/> (the plan's change
/// requests), then the confirmation (the console's), then — for distribute — saving the plan, then
/// <see cref="ApplyPlanAsync"/> or <see cref="UndoAsync"/>. The run's summary row (<see cref="RunRecorder"/>) is kept
/// by one recorder for the whole run.
/// </para>
/// </summary>
internal sealed class ApplyRun
{
    private readonly UseCaseContext _context;
    private readonly DataverseWebApiClient _client;
    private readonly RunSettings _settings;
    private readonly IRunProgress _progress;
    private readonly RunRecorder _recorder;

    public ApplyRun(UseCaseContext context, DataverseWebApiClient client, RunSettings settings, IRunProgress progress)
    {
        _context = context;
        _client = client;
        _settings = settings;
        _progress = progress;
        _recorder = new RunRecorder(client, context.Error);
    }

    /// <summary>
    /// The change requests of a checked plan (<see cref="PlanReader.Check"/>), streamed from its file. Every partner of
    /// the plan is checked against the org first (<see cref="PlanPartners"/>): rows whose partner no longer exists, is
    /// inactive or is not a partner are skipped with that reason (in the journal and the results); with
    /// --assign-owner, each remaining partner's team is read (a partner without one stops the run before it starts).
    /// </summary>
    public async Task<PreparedApply> PrepareAsync(CheckedPlan plan, CancellationToken cancellationToken)
    {
        var refused = await PlanPartners.RefusedAsync(_client, plan.AccountsPerPartner.Keys.ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var (partner, reason) in refused.OrderBy(r => r.Key))
        {
            await _context.Error.WriteLineAsync($"Skipping the plan's {plan.AccountsPerPartner[partner]} rows for partner {partner:D}: {reason}.").ConfigureAwait(false);
        }

        var teams = _settings.AssignOwner ? await PartnerTeamsAsync(plan.AccountsPerPartner.Keys.Where(p => !refused.ContainsKey(p)).ToList(), cancellationToken).ConfigureAwait(false) : null;
        var now = _context.Time.GetUtcNow();
        var stamp = Clock.ToSecond(now);
        var input = new RunInput(
            plan.RunId,
            () => plan.ReadRows().Select(row => new ChangeRequest(
                row.AccountId,
                Expected: new AccountState(row.PreviousPartnerId, null, null, null, null),
                Target: new AccountState(row.NewPartnerId, teams?.GetValueOrDefault(row.NewPartnerId), teams is null ? null : "team", stamp, plan.RunId),
                Refusal: refused.GetValueOrDefault(row.NewPartnerId))),
            plan.Rows,
            plan.AccountsPerPartner);
        return new PreparedApply(plan, input, now);
    }

    /// <summary>
    /// Applies a confirmed plan: opens (or resumes) its journal, records the run as started, runs it and, with
    /// --attach-open-opportunities, attaches the partners to the accounts' open deals. Returns the exit code.
    /// </summary>
    public async Task<int> ApplyPlanAsync(PreparedApply prepared, CancellationToken cancellationToken)
    {
        var plan = prepared.Plan;
        var path = RunJournal.PathFor(_settings.JournalFolder, plan.RunId, RunKind.Apply.Operation);
        using var journal = RunJournal.Open(path, plan.RunId, RunKind.Apply.Operation, plan.Fingerprint, _context.Time);
        await _recorder.StartedAsync(plan.RunId, plan.Header.Strategy, plan.Header.Parameters, plan.Rows, prepared.StartedOn, resumed: journal.Replay.AccountCount > 0, cancellationToken).ConfigureAwait(false);
        var code = await RunAsync(journal, RunKind.Apply, prepared.Input, cancellationToken).ConfigureAwait(false);
        if (!_settings.AttachOpenOpportunities || code is not (ExitCodes.Done or ExitCodes.RecordFailures))
        {
            return code;
        }

        var planned = plan.ReadRows().Select(r => (r.AccountId, r.NewPartnerId)).ToAsyncEnumerable();
        var attach = new AttachRun(plan.RunId, planned, _settings.JournalFolder, _settings.ReportFolder, _context.Out, _context.Scrub, code);
        return await OpportunityAttacher.RunAsync(_client, attach, AttachSettings.Default, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What undoing <paramref name="runId"/> would do, from one pass over its apply journal (the run streams it again).
    /// A run with accounts in doubt must be resumed first.
    /// </summary>
    public static RunInput UndoInput(string journalFolder, string runId)
    {
        var undo = UndoRequests.Scan(RunJournal.PathFor(journalFolder, runId, RunKind.Apply.Operation));
        if (undo.InDoubt > 0)
        {
            throw new UsageException($"Run '{runId}' has accounts in doubt (it was interrupted). Resume it with 'partnerguard apply' first, then undo it.");
        }

        return new RunInput(runId, undo.Requests, undo.Count, undo.AccountsPerPartner);
    }

    /// <summary>Undoes a confirmed run through its own undo journal. Returns the exit code.</summary>
    public async Task<int> UndoAsync(RunInput input, CancellationToken cancellationToken)
    {
        var runId = input.RunId;
        using var journal = RunJournal.Open(RunJournal.PathFor(_settings.JournalFolder, runId, RunKind.Undo.Operation), runId, RunKind.Undo.Operation, "undo-of-" + runId, _context.Time);
        return await RunAsync(journal, RunKind.Undo, input, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(RunJournal journal, RunKind kind, RunInput input, CancellationToken cancellationToken)
    {
        var output = _context.Out;
        var runId = input.RunId;
        var resumed = journal.Replay.AccountCount;
        if (resumed > 0)
        {
            await output.WriteLineAsync($"Resuming run '{runId}' ({kind.Operation}): the journal already records {resumed} accounts.").ConfigureAwait(false);
        }

        var gateway = new WebApiAccountGateway(_client, _settings.WritePath);
        var parallelism = Math.Min(_settings.MaxParallelism, _client.Parallelism);
        await output.WriteLineAsync($"Run '{runId}' ({kind.Operation}): {input.Count} accounts, batches of {_settings.BatchSize}, {parallelism} in parallel; journal {journal.Path}").ConfigureAwait(false);
        var folder = _settings.CreateReportFolder();
        var report = Path.Combine(folder, $"{runId}.{kind.Operation}.results.csv");
        RunSummary summary;

        // Results go to the CSV as they are known: earlier sessions' (from the journal) as the stream reaches them,
        // this session's in the order their batches finish.
        using (var results = CsvReport.Open(report, ["account_id", "outcome", "code", "message"]))
        {
            var tally = new RunTally((_, result) => results.Write(result.AccountId.ToString("D", CultureInfo.InvariantCulture), JournalKinds.Format(result.Outcome), result.Code ?? string.Empty, result.Message ?? string.Empty));
            summary = await _progress.TrackAsync(kind, runId, input.Count, progress =>
            {
                var runner = new ChangeRunner(gateway, journal, kind, _settings.BatchSize, parallelism, progress, _context.Scrub);
                return runner.RunAsync(runId, input.Requests(), input.Count, cancellationToken, tally);
            }, cancellationToken).ConfigureAwait(false);
        }

        await _recorder.FinishedAsync(summary, _context.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        var summaryFiles = RunReportFiles.Write(RunReportFiles.Build(summary, input.AccountsPerPartner, _context.Time.GetUtcNow()), folder);
        await output.WriteLineAsync($"{summary.Applied} applied, {summary.Failed} failed, {summary.Skipped} skipped, {summary.InDoubt} not finished. Write path: {gateway.LastWritePath ?? "none"}. Report: {report} (summary: {summaryFiles[1]})").ConfigureAwait(false);
        foreach (var failure in summary.Failures.Take(20))
        {
            await _context.Error.WriteLineAsync($"  failed {failure.AccountId:D}: {failure.Message} ({failure.Code})").ConfigureAwait(false);
        }

        if (summary.Interrupted)
        {
            await _context.Error.WriteLineAsync($"Interrupted: the run stopped ({summary.InterruptionReason}). Run the same command again to resume (run {summary.RunId}; --run-id {summary.RunId} names it); nothing is changed twice.").ConfigureAwait(false);
        }

        return summary.ExitCode;
    }

    private async Task<Dictionary<Guid, Guid?>> PartnerTeamsAsync(IReadOnlyList<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var found = await PartnerTeams.ReadAsync(_client, partnerIds, cancellationToken).ConfigureAwait(false);
        var teams = new Dictionary<Guid, Guid?>();
        foreach (var (id, (name, team)) in found)
        {
            teams[id] = team ?? throw new UsageException($"--assign-owner: partner '{name}' ({id:D}) has no team (pg_partnerteamid). Set its team or run without --assign-owner.");
        }

        var missing = partnerIds.Order().FirstOrDefault(id => !teams.ContainsKey(id));
        if (missing != Guid.Empty)
        {
            throw new UsageException($"--assign-owner: the plan's partner {missing:D} no longer exists.");
        }

        return teams;
    }
}

/// <summary>A plan ready to be confirmed and applied: the plan, its change requests, and when the run started.</summary>
internal sealed record PreparedApply(CheckedPlan Plan, RunInput Input, DateTimeOffset StartedOn);
