using System.Globalization;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Dataverse.WebApi;
using Spectre.Console;

namespace PartnerGuard.Integration.App;

/// <summary>
/// What a run is given: its id, its change requests as a stream that can be read again (from the plan file or the
/// apply journal), how many there are, and how many go to each target partner (Guid.Empty: none) — known from a
/// first pass, so the confirmation and the report need no list of accounts.
/// </summary>
internal sealed record RunInput(string RunId, Func<IEnumerable<ChangeRequest>> Requests, int Count, IReadOnlyDictionary<Guid, int> AccountsPerPartner);

/// <summary>
/// The execution shared by `apply`, `distribute` and `undo`: journal, runner, summary, report. Memory stays flat as
/// the plan grows: requests are streamed from their file through the runner's bounded pipeline, results are written
/// to the results CSV as batches finish, and the summary, report and console figures are counts.
/// </summary>
internal static class ApplyRun
{
    /// <summary>The plan's fingerprint: SHA-256 of its JSON form, the same whether it was read from CSV or JSON.</summary>
    public static string Fingerprint(Plan plan)
    {
        using var fingerprint = new PlanFingerprint(plan.Header);
        foreach (var row in plan.Rows)
        {
            fingerprint.Add(row);
        }

        return fingerprint.Complete();
    }

    /// <summary>Applies a checked plan (<see cref="PlanReader.Check"/>), streaming its rows from the file.</summary>
    public static async Task<int> ApplyAsync(
        CliContext context,
        DataverseWebApiClient client,
        CheckedPlan plan,
        ExecutionOptions options,
        CancellationToken cancellationToken,
        Action? beforeWrite = null)
    {
        var teams = options.AssignOwner ? await PartnerTeamsAsync(client, plan.AccountsPerPartner.Keys.ToList(), cancellationToken).ConfigureAwait(false) : null;
        var now = context.Time.GetUtcNow();
        var stamp = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var input = new RunInput(
            plan.RunId,
            () => plan.ReadRows().Select(row => new ChangeRequest(
                row.AccountId,
                Expected: new AccountState(row.PreviousPartnerId, null, null, null, null),
                Target: new AccountState(row.NewPartnerId, teams?[row.NewPartnerId], teams is null ? null : "team", stamp, plan.RunId))),
            plan.Rows,
            plan.AccountsPerPartner);

        if (!await ConfirmAsync(context, client, RunKind.Apply, input, options, cancellationToken).ConfigureAwait(false))
        {
            return Cli.ExitCodes.Done;
        }

        beforeWrite?.Invoke();
        var path = RunJournal.PathFor(context.Resolve(options.JournalDirectory), plan.RunId, RunKind.Apply.Operation);
        using var journal = RunJournal.Open(path, plan.RunId, RunKind.Apply.Operation, plan.Fingerprint, context.Time);
        await new RunRecorder(client, context.Error).StartedAsync(plan.RunId, plan.Header.Strategy, plan.Header.Parameters, plan.Rows, now, resumed: journal.Replay.AccountCount > 0, cancellationToken).ConfigureAwait(false);
        var code = await RunAsync(context, client, journal, RunKind.Apply, input, options, cancellationToken).ConfigureAwait(false);
        return options.AttachOpenOpportunities && code is Cli.ExitCodes.Done or Cli.ExitCodes.RecordFailures
            ? await OpportunityAttacher.RunAsync(client, plan.RunId, plan.ReadRows().Select(r => (r.AccountId, r.NewPartnerId)).ToAsyncEnumerable(), context.Resolve(options.JournalDirectory), ReportFolder(context, options), context.Out, context.Scrubber.Scrub, code, cancellationToken).ConfigureAwait(false)
            : code;
    }

    public static async Task<int> RunAsync(
        CliContext context,
        DataverseWebApiClient client,
        RunJournal journal,
        RunKind kind,
        RunInput input,
        ExecutionOptions options,
        CancellationToken cancellationToken)
    {
        var runId = input.RunId;
        var resumed = journal.Replay.AccountCount;
        if (resumed > 0)
        {
            await context.Out.WriteLineAsync($"Resuming run '{runId}' ({kind.Operation}): the journal already records {resumed} accounts.").ConfigureAwait(false);
        }

        var gateway = new WebApiAccountGateway(client, options.WritePath);
        var parallelism = Math.Min(options.MaxParallelism, client.Parallelism);
        var done = 0;
        await context.Out.WriteLineAsync($"Run '{runId}' ({kind.Operation}): {input.Count} accounts, batches of {options.BatchSize}, {parallelism} in parallel; journal {journal.Path}").ConfigureAwait(false);
        var folder = ReportFolder(context, options);
        RunSummary summary;

        // Results go to the CSV as they are known: earlier sessions' (from the journal) as the stream reaches them,
        // this session's in the order their batches finish.
        using (var results = Reports.CsvReport.Open(Path.Combine(folder, $"{runId}.{kind.Operation}.results.csv"), ["account_id", "outcome", "code", "message"]))
        {
            var tally = new RunTally((_, result) => results.Write(result.AccountId.ToString("D", CultureInfo.InvariantCulture), JournalKinds.Format(result.Outcome), result.Code ?? string.Empty, result.Message ?? string.Empty));
            if (context.OutputIsTerminal)
            {
                // At a terminal: one progress bar. It shows only the operation, run id and counts (no secrets to scrub).
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var display = (context.Terminal ?? AnsiConsole.Console).Progress();
                display.AutoClear = false;
                summary = await display.StartAsync(async bar =>
                {
                    var task = bar.AddTask($"{kind.Operation} {Spectre.Console.Markup.Escape(runId)}", maxValue: Math.Max(input.Count, 1));
                    var runner = new ChangeRunner(gateway, journal, kind, options.BatchSize, parallelism, new Immediate(n => task.Increment(n)), context.Scrubber.Scrub);
                    return await runner.RunAsync(runId, input.Requests(), input.Count, cancellationToken, tally).ConfigureAwait(false);
                }).ConfigureAwait(false);
            }
            else
            {
                // Redirected output (jobs, CI, tests): plain lines, one per finished batch.
                var progress = new Immediate(n =>
                {
                    var total = Interlocked.Add(ref done, n);
                    context.Out.WriteLine($"  {kind.Operation}: {total} of {input.Count} accounts processed");
                });
                var runner = new ChangeRunner(gateway, journal, kind, options.BatchSize, parallelism, progress, context.Scrubber.Scrub);
                summary = await runner.RunAsync(runId, input.Requests(), input.Count, cancellationToken, tally).ConfigureAwait(false);
            }
        }

        var report = Path.Combine(folder, $"{runId}.{kind.Operation}.results.csv");
        await new RunRecorder(client, context.Error).FinishedAsync(summary, context.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        var summaryFiles = Reports.RunReportFiles.Write(Reports.RunReportFiles.Build(summary, input.AccountsPerPartner, context.Time.GetUtcNow()), folder);
        await context.Out.WriteLineAsync($"{summary.Applied} applied, {summary.Failed} failed, {summary.Skipped} skipped, {summary.InDoubt} not finished. Write path: {gateway.LastWritePath ?? "none"}. Report: {report} (summary: {summaryFiles[1]})").ConfigureAwait(false);
        foreach (var failure in summary.Failures.Take(20))
        {
            await context.Error.WriteLineAsync($"  failed {failure.AccountId:D}: {failure.Message} ({failure.Code})").ConfigureAwait(false);
        }

        if (summary.Interrupted)
        {
            await context.Error.WriteLineAsync($"partnerguard: the run stopped ({summary.InterruptionReason}). Run the same command again to resume; nothing is changed twice.").ConfigureAwait(false);
        }

        return summary.ExitCode;
    }

    /// <summary>
    /// The gate before the first write. A dry run reads the accounts, says what each would get, writes its report and
    /// stops; --yes goes on; at a terminal the person is asked; without one the command refuses (a scheduled job must
    /// say --yes). Returns true when the run may write.
    /// </summary>
    public static async Task<bool> ConfirmAsync(
        CliContext context,
        DataverseWebApiClient client,
        RunKind kind,
        RunInput input,
        ExecutionOptions options,
        CancellationToken cancellationToken)
    {
        var org = client.ApiRoot.GetLeftPart(UriPartial.Authority);
        var verb = kind == RunKind.Undo ? "Undo" : "Apply";
        var runId = input.RunId;
        if (options.DryRun)
        {
            await DryRunAsync(context, client, kind, input, options, org, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (options.Yes || input.Count == 0)
        {
            return true;
        }

        if (!context.CanPrompt)
        {
            throw new Domain.UsageException($"{verb} {input.Count} changes to {org}: no one is at a terminal to confirm, so nothing was written. Pass --yes to write without asking (or --dry-run to see what would change).");
        }

        await context.Out.WriteLineAsync($"Run '{runId}' ({kind.Operation}) is about to change {input.Count} accounts in {org}:").ConfigureAwait(false);
        await WriteBreakdownAsync(context, input.AccountsPerPartner).ConfigureAwait(false);
        await context.Out.WriteAsync($"{verb} {input.Count} changes to {org}? [y/N] ").ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await context.Out.WriteLineAsync("Not confirmed: nothing was written.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Accounts per target partner, largest first (bounded by the number of partners).</summary>
    private static async Task WriteBreakdownAsync(CliContext context, IReadOnlyDictionary<Guid, int> accountsPerPartner)
    {
        var byPartner = accountsPerPartner.OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToList();
        foreach (var (id, count) in byPartner.Take(10))
        {
            var partner = id != Guid.Empty ? $"partner {id:D}" : "no partner";
            await context.Out.WriteLineAsync($"  {count,6} accounts -> {partner}").ConfigureAwait(false);
        }

        if (byPartner.Count > 10)
        {
            await context.Out.WriteLineAsync($"  … and {byPartner.Count - 10} more partners (see the report).").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// --dry-run: reads every account's current state (read-only, in batches, the run's own reads) and decides it as
    /// the run would: would apply, would skip (and why: changed since the plan, or gone) or already done. Streams one
    /// row per account to RUN.OPERATION.dry-run.csv and prints the counts. Writes nothing to Dataverse or the journal.
    /// </summary>
    private static async Task DryRunAsync(CliContext context, DataverseWebApiClient client, RunKind kind, RunInput input, ExecutionOptions options, string org, CancellationToken cancellationToken)
    {
        var path = Path.Combine(ReportFolder(context, options), $"{input.RunId}.{kind.Operation}.dry-run.csv");
        var counts = new Dictionary<ChangeDecision, int>();
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal); // bounded: reasons name at most a partner
        var writesPerPartner = new Dictionary<Guid, int>();
        string? stopped;
        using (var preview = Reports.CsvReport.Open(path, ["account_id", "expected_partner_id", "new_partner_id", "current_partner_id", "decision", "reason"]))
        {
            var gateway = new WebApiAccountGateway(client, options.WritePath);
            var parallelism = Math.Min(options.MaxParallelism, client.Parallelism);
            stopped = await ChangeRunner.PreviewAsync(gateway, kind, input.Requests(), options.BatchSize, parallelism, (request, current, decision, reason) =>
            {
                counts[decision] = counts.GetValueOrDefault(decision) + 1;
                if (decision == ChangeDecision.Skip && reason is not null)
                {
                    reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
                }

                if (decision == ChangeDecision.Write)
                {
                    var partner = request.Target.PartnerId ?? Guid.Empty;
                    writesPerPartner[partner] = writesPerPartner.GetValueOrDefault(partner) + 1;
                }

                preview.Write(
                    request.AccountId.ToString("D", CultureInfo.InvariantCulture),
                    Id(request.Expected.PartnerId),
                    Id(request.Target.PartnerId),
                    current is null ? string.Empty : Id(current.PartnerId),
                    decision switch { ChangeDecision.Write => "would-apply", ChangeDecision.AlreadyDone => "already-done", _ => "would-skip" },
                    reason ?? string.Empty);
            }, context.Scrubber.Scrub, cancellationToken).ConfigureAwait(false);
        }

        if (stopped is not null)
        {
            throw new Domain.ConnectionFailedException($"The dry run could not read the accounts ({stopped}); nothing was written.");
        }

        var writes = counts.GetValueOrDefault(ChangeDecision.Write);
        await context.Out.WriteLineAsync($"Dry run of '{input.RunId}' ({kind.Operation}): would write {writes} changes to {org}; {counts.GetValueOrDefault(ChangeDecision.Skip)} would be skipped, {counts.GetValueOrDefault(ChangeDecision.AlreadyDone)} are already done (of {input.Count} accounts, read just now).").ConfigureAwait(false);
        await WriteBreakdownAsync(context, writesPerPartner).ConfigureAwait(false);
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(10))
        {
            await context.Out.WriteLineAsync($"  {count,6} would be skipped: {reason}").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"Nothing was written to Dataverse or the journal. What would change: {path}").ConfigureAwait(false);
    }

    private static string Id(Guid? id) => id?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;

    internal static string ReportFolder(CliContext context, ExecutionOptions options)
    {
        var folder = options.Output is { } output
            ? context.Resolve(output)
            : context.Resolve(Path.Combine("partnerguard-reports", context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<Dictionary<Guid, Guid?>> PartnerTeamsAsync(DataverseWebApiClient client, IReadOnlyList<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var teams = new Dictionary<Guid, Guid?>();
        foreach (var chunk in partnerIds.Order().Chunk(100))
        {
            var query = $"{set}?$select={AccountColumns.Id},{AccountColumns.Name},{AccountColumns.ValueOf(AccountColumns.PartnerTeam)}&$filter={ODataFilter.AnyOf(AccountColumns.Id, chunk)}";
            await foreach (var (id, name, team) in client.QueryAsync(query, row => (
                row.GetProperty(AccountColumns.Id).GetGuid(),
                row.TryGetProperty(AccountColumns.Name, out var n) ? n.GetString() : null,
                row.TryGetProperty(AccountColumns.ValueOf(AccountColumns.PartnerTeam), out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetGuid() : (Guid?)null), cancellationToken).ConfigureAwait(false))
            {
                teams[id] = team ?? throw new Domain.UsageException($"--assign-owner: partner '{name}' ({id:D}) has no team (pg_partnerteamid). Set its team or run without --assign-owner.");
            }
        }

        var missing = partnerIds.Order().FirstOrDefault(id => !teams.ContainsKey(id));
        if (missing != Guid.Empty)
        {
            throw new Domain.UsageException($"--assign-owner: the plan's partner {missing:D} no longer exists.");
        }

        return teams;
    }
}

/// <summary>
/// Progress reported on the reporting thread, at once (<see cref="Progress{T}"/> would post it to the thread pool,
/// where it could land after the summary line or after the bar's last frame).
/// </summary>
internal sealed class Immediate(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}

/// <summary>How a run executes (shared by apply, distribute and undo; read by <see cref="ExecutionOptionSet"/>).</summary>
internal sealed record ExecutionOptions(int BatchSize, int MaxParallelism, WritePath WritePath, bool AssignOwner, string JournalDirectory, string? Output, bool DryRun = false, bool Yes = false, bool AttachOpenOpportunities = false);
