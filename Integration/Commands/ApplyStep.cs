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
    public static string Fingerprint(Plan plan) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PlanFiles.ToJson(plan))));

    public static async Task<int> ApplyAsync(
        CliContext context,
        DataverseWebApiClient client,
        Plan plan,
        ExecutionOptions options,
        CancellationToken cancellationToken)
    {
        var teams = options.AssignOwner ? await PartnerTeamsAsync(client, plan, cancellationToken).ConfigureAwait(false) : null;
        var now = context.Time.GetUtcNow();
        var stamp = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var requests = plan.Rows.Select(row => new ChangeRequest(
            row.AccountId,
            Expected: new AccountState(row.PreviousPartnerId, null, null, null, null),
            Target: new AccountState(row.NewPartnerId, teams?[row.NewPartnerId], teams is null ? null : "team", stamp, plan.RunId))).ToList();

        var path = RunJournal.PathFor(context.Resolve(options.JournalDirectory), plan.RunId, RunKind.Apply.Operation);
        using var journal = RunJournal.Open(path, plan.RunId, RunKind.Apply.Operation, Fingerprint(plan), context.Time);
        await new RunRecorder(client, context.Error).StartedAsync(plan.RunId, plan.Strategy, plan.Parameters, plan.Rows.Count, now, resumed: journal.Replay.Accounts.Count > 0, cancellationToken).ConfigureAwait(false);
        return await RunAsync(context, client, journal, RunKind.Apply, plan.RunId, requests, options, cancellationToken).ConfigureAwait(false);
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
        var progress = new Progress<int>(n =>
        {
            var total = Interlocked.Add(ref done, n);
            context.Out.WriteLine($"  {kind.Operation}: {total} of {requests.Count} accounts processed");
        });
        await context.Out.WriteLineAsync($"Run '{runId}' ({kind.Operation}): {requests.Count} accounts, batches of {options.BatchSize}, {parallelism} in parallel; journal {journal.Path}").ConfigureAwait(false);
        var runner = new ChangeRunner(gateway, journal, kind, options.BatchSize, parallelism, progress, context.Scrubber.Scrub);
        var summary = await runner.RunAsync(runId, requests, cancellationToken).ConfigureAwait(false);

        await new RunRecorder(client, context.Error).FinishedAsync(summary, context.Time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        var report = WriteReport(context, options, summary);
        await context.Out.WriteLineAsync($"{summary.Applied} applied, {summary.Failed} failed, {summary.Skipped} skipped, {summary.InDoubt} not finished. Write path: {gateway.LastWritePath ?? "none"}. Report: {report}").ConfigureAwait(false);
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
        var folder = options.Output is { } output
            ? context.Resolve(output)
            : context.Resolve(Path.Combine("partnerguard-reports", context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{summary.RunId}.{summary.Operation}.results.csv");
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
internal sealed record ExecutionOptions(int BatchSize, int MaxParallelism, WritePath WritePath, bool AssignOwner, string JournalDirectory, string? Output);
