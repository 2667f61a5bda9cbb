using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Execution;
using PartnerGuard.Integration.Journal;
using PartnerGuard.Integration.Plans;
using PartnerGuard.Integration.WebApi;

namespace PartnerGuard.Integration.Commands;

/// <summary>The execution shared by `apply`, `distribute` and `undo`: journal, runner, summary, report.</summary>
internal static class ApplyStep
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

    public static async Task<int> ApplyAsync(
        CliContext context,
        DataverseWebApiClient client,
        Plan plan,
        ExecutionOptions options,
        CancellationToken cancellationToken,
        Action? beforeWrite = null)
    {
        var teams = options.AssignOwner ? await PartnerTeamsAsync(client, plan, cancellationToken).ConfigureAwait(false) : null;
        var now = context.Time.GetUtcNow();
        var stamp = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var requests = plan.Rows.Select(row => new ChangeRequest(
            row.AccountId,
            Expected: new AccountState(row.PreviousPartnerId, null, null, null, null),
            Target: new AccountState(row.NewPartnerId, teams?[row.NewPartnerId], teams is null ? null : "team", stamp, plan.RunId))).ToList();

        if (!await ConfirmAsync(context, client, RunKind.Apply, plan.RunId, requests, options, cancellationToken).ConfigureAwait(false))
        {
            return Cli.ExitCodes.Done;
        }

        beforeWrite?.Invoke();
        var path = RunJournal.PathFor(context.Resolve(options.JournalDirectory), plan.RunId, RunKind.Apply.Operation);
        using var journal = RunJournal.Open(path, plan.RunId, RunKind.Apply.Operation, Fingerprint(plan), context.Time);
        await new RunRecorder(client, context.Error).StartedAsync(plan.RunId, plan.Strategy, plan.Parameters, plan.Rows.Count, now, resumed: journal.Replay.Accounts.Count > 0, cancellationToken).ConfigureAwait(false);
        var code = await RunAsync(context, client, journal, RunKind.Apply, plan.RunId, requests, options, cancellationToken).ConfigureAwait(false);
        return options.AttachOpenOpportunities && code is Cli.ExitCodes.Done or Cli.ExitCodes.RecordFailures
            ? await OpportunityAttacher.RunAsync(client, plan.RunId, plan.Rows.Select(r => (r.AccountId, r.NewPartnerId)).ToAsyncEnumerable(), context.Resolve(options.JournalDirectory), ReportFolder(context, options), context.Out, context.Scrubber.Scrub, code, cancellationToken).ConfigureAwait(false)
            : code;
    }

    public static async Task<int> RunAsync(
        CliContext context,
        DataverseWebApiClient client,
        RunJournal journal,
        RunKind kind,
        string runId,
        IReadOnlyList<ChangeRequest> requests,
        ExecutionOptions options,
        CancellationToken cancellationToken)
    {
        var resumed = journal.Replay.Accounts.Count;
        if (resumed > 0)
        {
            await context.Out.WriteLineAsync($"Resuming run '{runId}' ({kind.Operation}): the journal already records {resumed} accounts.").ConfigureAwait(false);
        }

        var gateway = new WebApiAccountGateway(client, options.WritePath);
        var parallelism = Math.Min(options.MaxParallelism, client.Parallelism);
        var done = 0;
        await context.Out.WriteLineAsync($"Run '{runId}' ({kind.Operation}): {requests.Count} accounts, batches of {options.BatchSize}, {parallelism} in parallel; journal {journal.Path}").ConfigureAwait(false);
        RunSummary summary;
        if (context.OutputIsTerminal)
        {
            // At a terminal: one progress bar. It shows only the operation, run id and counts (no secrets to scrub).
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var display = Spectre.Console.AnsiConsole.Progress();
            display.AutoClear = false;
            summary = await display.StartAsync(async bar =>
            {
                var task = bar.AddTask($"{kind.Operation} {Spectre.Console.Markup.Escape(runId)}", maxValue: Math.Max(requests.Count, 1));
                var runner = new ChangeRunner(gateway, journal, kind, options.BatchSize, parallelism, new Progress<int>(n => task.Increment(n)), context.Scrubber.Scrub);
                return await runner.RunAsync(runId, requests, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            // Redirected output (jobs, CI, tests): plain lines, one per finished batch.
            var progress = new Progress<int>(n =>
            {
                var total = Interlocked.Add(ref done, n);
                context.Out.WriteLine($"  {kind.Operation}: {total} of {requests.Count} accounts processed");
            });
            var runner = new ChangeRunner(gateway, journal, kind, options.BatchSize, parallelism, progress, context.Scrubber.Scrub);
            summary = await runner.RunAsync(runId, requests, cancellationToken).ConfigureAwait(false);
        }


        await new RunRecorder(client, context.Error).FinishedAsync(summary, context.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        var report = WriteReport(context, options, summary);
        var summaryFiles = Reports.RunReportFiles.Write(Reports.RunReportFiles.Build(summary, requests, context.Time.GetUtcNow()), Path.GetDirectoryName(report)!);
        await context.Out.WriteLineAsync($"{summary.Applied} applied, {summary.Failed} failed, {summary.Skipped} skipped, {summary.InDoubt} not finished. Write path: {gateway.LastWritePath ?? "none"}. Report: {report} (summary: {summaryFiles[1]})").ConfigureAwait(false);
        foreach (var failure in summary.Results.Where(r => r.Outcome == AccountOutcome.Failed).Take(20))
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
    /// The gate before the first write. A dry run prints what would change, writes its report and stops; --yes goes on;
    /// at a terminal the person is asked; without one the command refuses (a scheduled job must say --yes).
    /// Returns true when the run may write.
    /// </summary>
    public static async Task<bool> ConfirmAsync(
        CliContext context,
        DataverseWebApiClient client,
        RunKind kind,
        string runId,
        IReadOnlyList<ChangeRequest> requests,
        ExecutionOptions options,
        CancellationToken cancellationToken)
    {
        var org = client.ApiRoot.GetLeftPart(UriPartial.Authority);
        var verb = kind == RunKind.Undo ? "Undo" : "Apply";
        if (options.DryRun)
        {
            var report = WritePreview(context, options, kind, runId, requests);
            await context.Out.WriteLineAsync($"Dry run of '{runId}' ({kind.Operation}): would write {requests.Count} changes to {org}.").ConfigureAwait(false);
            await WriteBreakdownAsync(context, requests).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Nothing was written to Dataverse or the journal. What would change: {report}").ConfigureAwait(false);
            return false;
        }

        if (options.Yes || requests.Count == 0)
        {
            return true;
        }

        if (!context.CanPrompt)
        {
            throw new Cli.UsageException($"{verb} {requests.Count} changes to {org}: no one is at a terminal to confirm, so nothing was written. Pass --yes to write without asking (or --dry-run to see what would change).");
        }

        await context.Out.WriteLineAsync($"Run '{runId}' ({kind.Operation}) is about to change {requests.Count} accounts in {org}:").ConfigureAwait(false);
        await WriteBreakdownAsync(context, requests).ConfigureAwait(false);
        await context.Out.WriteAsync($"{verb} {requests.Count} changes to {org}? [y/N] ").ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await context.Out.WriteLineAsync("Not confirmed: nothing was written.").ConfigureAwait(false);
        return false;
    }

    private static async Task WriteBreakdownAsync(CliContext context, IReadOnlyList<ChangeRequest> requests)
    {
        var byPartner = requests.GroupBy(r => r.Target.PartnerId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
        foreach (var group in byPartner.Take(10))
        {
            var partner = group.Key is { } id ? $"partner {id:D}" : "no partner";
            await context.Out.WriteLineAsync($"  {group.Count(),6} accounts -> {partner}").ConfigureAwait(false);
        }

        if (byPartner.Count > 10)
        {
            await context.Out.WriteLineAsync($"  … and {byPartner.Count - 10} more partners (see the report).").ConfigureAwait(false);
        }
    }

    private static string WritePreview(CliContext context, ExecutionOptions options, RunKind kind, string runId, IReadOnlyList<ChangeRequest> requests)
    {
        var path = Path.Combine(ReportFolder(context, options), $"{runId}.{kind.Operation}.dry-run.csv");
        using var text = new StreamWriter(path, append: false, new UTF8Encoding(false));
        using var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["account_id", "expected_partner_id", "new_partner_id"]);
        foreach (var request in requests)
        {
            csv.WriteRecord([request.AccountId.ToString("D", CultureInfo.InvariantCulture), request.Expected.PartnerId?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty, request.Target.PartnerId?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty]);
        }

        csv.Flush();
        return path;
    }

    private static string ReportFolder(CliContext context, ExecutionOptions options)
    {
        var folder = options.Output is { } output
            ? context.Resolve(output)
            : context.Resolve(Path.Combine("partnerguard-reports", context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<Dictionary<Guid, Guid?>> PartnerTeamsAsync(DataverseWebApiClient client, Plan plan, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var teams = new Dictionary<Guid, Guid?>();
        foreach (var chunk in plan.Rows.Select(r => r.NewPartnerId).Distinct().Chunk(100))
        {
            var query = $"{set}?$select={AccountColumns.Id},{AccountColumns.Name},{AccountColumns.ValueOf(AccountColumns.PartnerTeam)}&$filter={ODataFilter.AnyOf(AccountColumns.Id, chunk)}";
            await foreach (var (id, name, team) in client.QueryAsync(query, row => (
                row.GetProperty(AccountColumns.Id).GetGuid(),
                row.TryGetProperty(AccountColumns.Name, out var n) ? n.GetString() : null,
                row.TryGetProperty(AccountColumns.ValueOf(AccountColumns.PartnerTeam), out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetGuid() : (Guid?)null), cancellationToken).ConfigureAwait(false))
            {
                teams[id] = team ?? throw new Cli.UsageException($"--assign-owner: partner '{name}' ({id:D}) has no team (pg_partnerteamid). Set its team or run without --assign-owner.");
            }
        }

        var missing = plan.Rows.Select(r => r.NewPartnerId).Distinct().FirstOrDefault(id => !teams.ContainsKey(id));
        if (missing != Guid.Empty)
        {
            throw new Cli.UsageException($"--assign-owner: the plan's partner {missing:D} no longer exists.");
        }

        return teams;
    }

    private static string WriteReport(CliContext context, ExecutionOptions options, RunSummary summary)
    {
        var path = Path.Combine(ReportFolder(context, options), $"{summary.RunId}.{summary.Operation}.results.csv");
        using var text = new StreamWriter(path, append: false, new UTF8Encoding(false));
        using var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["account_id", "outcome", "code", "message"]);
        foreach (var result in summary.Results)
        {
            csv.WriteRecord([result.AccountId.ToString("D", CultureInfo.InvariantCulture), JournalKinds.Format(result.Outcome), result.Code ?? string.Empty, result.Message ?? string.Empty]);
        }

        csv.Flush();
        return path;
    }
}

/// <summary>How a run executes (shared by apply, distribute and undo).</summary>
internal sealed record ExecutionOptions(int BatchSize, int MaxParallelism, WritePath WritePath, bool AssignOwner, string JournalDirectory, string? Output, bool DryRun = false, bool Yes = false, bool AttachOpenOpportunities = false);
