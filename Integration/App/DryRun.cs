using System.Globalization;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Reports;

namespace PartnerGuard.Integration.App;

/// <summary>
/// --dry-run: reads every account's current state (read-only, in batches, the run's own reads) and decides it as
/// the run would: would apply, would skip (and why: changed since the plan, or gone) or already done. Streams one
/// row per account to RUN.OPERATION.dry-run.csv and prints the counts. Writes nothing to Dataverse or the journal.
/// </summary>
internal static class DryRun
{
    public static async Task PreviewAsync(UseCaseContext context, DataverseWebApiClient client, RunKind kind, RunInput input, RunSettings settings, CancellationToken cancellationToken)
    {
        var org = client.ApiRoot.GetLeftPart(UriPartial.Authority);
        var path = Path.Combine(settings.CreateReportFolder(), $"{input.RunId}.{kind.Operation}.dry-run.csv");
        var counts = new Dictionary<ChangeDecision, int>();
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal); // bounded: reasons name at most a partner
        var writesPerPartner = new Dictionary<Guid, int>();
        string? stopped;
        using (var preview = CsvReport.Open(path, ["account_id", "expected_partner_id", "new_partner_id", "current_partner_id", "decision", "reason"]))
        {
            var gateway = new WebApiAccountGateway(client, settings.WritePath);
            var parallelism = Math.Min(settings.MaxParallelism, client.Parallelism);
            stopped = await ChangeRunner.PreviewAsync(gateway, kind, input.Requests(), settings.BatchSize, parallelism, (request, current, decision, reason) =>
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
            }, context.Scrub, cancellationToken).ConfigureAwait(false);
        }

        if (stopped is not null)
        {
            throw new ConnectionFailedException($"The dry run could not read the accounts ({stopped}); nothing was written.");
        }

        var writes = counts.GetValueOrDefault(ChangeDecision.Write);
        await context.Out.WriteLineAsync($"Dry run of '{input.RunId}' ({kind.Operation}): would write {writes} changes to {org}; {counts.GetValueOrDefault(ChangeDecision.Skip)} would be skipped, {counts.GetValueOrDefault(ChangeDecision.AlreadyDone)} are already done (of {input.Count} accounts, read just now).").ConfigureAwait(false);
        await RunBreakdown.WriteAsync(context.Out, writesPerPartner).ConfigureAwait(false);
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(10))
        {
            await context.Out.WriteLineAsync($"  {count,6} would be skipped: {reason}").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"Nothing was written to Dataverse or the journal. What would change: {path}").ConfigureAwait(false);
    }

    private static string Id(Guid? id) => id?.ToString("D", CultureInfo.InvariantCulture) ?? string.Empty;
}
