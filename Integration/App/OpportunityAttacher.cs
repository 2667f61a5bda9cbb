using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Dataverse.WebApi;
using OpportunityColumns = PartnerGuard.Policy.Schema.OpportunityColumns;
using static PartnerGuard.Integration.Dataverse.WebApi.WebApiRow;

namespace PartnerGuard.Integration.App;

/// <summary>
/// `--attach-open-opportunities` of apply and distribute: after the accounts are assigned, each planned account that
/// now carries its planned partner gets that partner on its OPEN opportunities (statecode 0) that name no partner.
/// Every deal is a normal update (UpdateMultiple where the opportunity table supports it, else PATCH with If-Match: *
/// inside $batch), so the channel plugin runs and records its decision (pg_channel, pg_channelreason), which is read
/// back into the report.
/// <para>
/// Streamed: the planned accounts are taken in chunks; per chunk one query checks which accounts carry their partner,
/// one query selects their open deals without a partner, and the deals are written in batches, each followed by one
/// read-back query. The report is written as batches finish. Only one chunk's deals are held at a time.
/// </para>
/// <para>
/// Journalled (<see cref="OpportunityJournal"/>): intent before each batch is sent, outcome after, a line when a chunk
/// is settled. Resuming skips settled chunks, never touches a deal whose outcome is recorded, and re-reads the deals
/// in doubt; the selection "open and no partner" is the second line of defence against writing a deal twice.
/// </para>
/// Undo does not detach the partners again (the deal's channel decision was made and recorded by the plugin; clearing
/// it would leave the deal without a partner, which Enforce mode refuses); the report says so.
/// </summary>
internal static class OpportunityAttacher
{
    public const string UndoNote = "undo does not detach these partners from the deals";

    /// <summary>
    /// Attaches, journals into the run's journal folder and writes `&lt;run&gt;.apply.opportunities.csv` into its report
    /// folder. Returns the exit code: the account run's, or 2 when the run's report lists a deal that could not be updated.
    /// </summary>
    public static async Task<int> RunAsync(DataverseWebApiClient client, AttachRun run, AttachSettings settings, CancellationToken cancellationToken)
    {
        var (runId, planned, journalDirectory, reportFolder, output, scrub, exitCode) = run;
        var names = await TableNames.ResolveAsync(client, cancellationToken).ConfigureAwait(false);
        var bulk = settings.WritePath switch
        {
            WritePath.UpdateMultiple => true,
            WritePath.Batch => false,
            _ => await client.SupportsUpdateMultipleAsync(OpportunityColumns.Table, cancellationToken).ConfigureAwait(false),
        };

        Directory.CreateDirectory(reportFolder);
        var reportPath = Path.Combine(reportFolder, $"{runId}.apply.opportunities.csv");
        using var report = new OpportunityReport(reportPath);
        using var journal = OpportunityJournal.Open(OpportunityJournal.PathFor(journalDirectory, runId), runId, settings.Time.GetUtcNow(), report.Write, settings.Faults);
        var earlier = (Attached: journal.Replay.Attached, Failed: journal.Replay.Failed);
        var writer = new OpportunityBatchWriter(client, names, bulk, scrub);
        var attached = 0;
        var failed = 0;
        var index = -1;
        string? interruption = null;
        try
        {
            await foreach (var chunk in planned.Chunk(settings.AccountsPerChunk).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                index++;
                var fingerprint = Fingerprint(chunk);
                if (journal.Replay.IsDone(index, fingerprint))
                {
                    continue; // settled by an earlier session; its deals are in the report already
                }

                var recorded = journal.Replay.TakeChunk(index);
                var settled = new HashSet<Guid>(recorded.Values.Where(d => d.Outcome is not null).Select(d => d.Id));

                // Deals in doubt (intent without outcome): the write may have happened. Re-read them; those that carry
                // their target partner now are recorded as attached, the others are left to the selection below.
                var inDoubt = recorded.Values.Where(d => d.Outcome is null).ToList();
                if (inDoubt.Count > 0)
                {
                    var confirmed = await writer.ConfirmAsync(inDoubt, cancellationToken).ConfigureAwait(false);
                    if (confirmed.Count > 0)
                    {
                        journal.WriteOutcome(journal.NextBatch(), index, confirmed);
                    }

                    foreach (var deal in confirmed)
                    {
                        settled.Add(deal.Id);
                        report.Write(deal);
                        attached++;
                    }
                }

                var assigned = await AssignedAsync(client, names, chunk, cancellationToken).ConfigureAwait(false);
                var open = assigned.Count == 0 ? [] : await OpenDealsAsync(client, names, assigned, settled, cancellationToken).ConfigureAwait(false);
                foreach (var batch in open.Chunk(settings.DealsPerBatch))
                {
                    var number = journal.NextBatch();
                    journal.WriteIntent(number, index, batch);
                    var results = await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    journal.WriteOutcome(number, index, results);
                    foreach (var result in results)
                    {
                        report.Write(result);
                        if (result.Outcome == OpportunityJournalDeal.Attached)
                        {
                            attached++;
                        }
                        else
                        {
                            failed++;
                        }
                    }
                }

                journal.WriteChunkDone(index, fingerprint);
                report.Flush();
            }
        }
        catch (Exception error) when (error is not (OutOfMemoryException or SimulatedCrashException))
        {
            // Not a verdict on a deal (cancelled, connection lost, the service refusing whole requests): stop here.
            // The batch in flight stays in doubt in the journal; running the same command again resumes.
            interruption = error is OperationCanceledException ? "cancelled" : scrub(error.Message);
        }

        var resumed = earlier.Attached + earlier.Failed > 0
            ? $"; the report also lists {earlier.Attached} attached and {earlier.Failed} failed by an earlier session of run '{runId}'"
            : string.Empty;
        await output.WriteLineAsync($"Open opportunities: {attached} attached to the account's new partner, {failed} failed{resumed} ({UndoNote}). Write path: {(bulk ? "UpdateMultiple" : "$batch")}. Report: {reportPath}").ConfigureAwait(false);
        if (interruption is not null)
        {
            await output.WriteLineAsync($"Attaching open opportunities stopped ({interruption}). Run the same command again to resume; no deal is written twice.").ConfigureAwait(false);
            return Domain.ExitCodes.Interrupted;
        }

        return failed + earlier.Failed > 0 && exitCode == Domain.ExitCodes.Done ? Domain.ExitCodes.RecordFailures : exitCode;
    }

    /// <summary>The accounts of a chunk that carry their planned partner now (skipped or failed rows are left alone).</summary>
    private static async Task<Dictionary<Guid, Guid>> AssignedAsync(DataverseWebApiClient client, TableNames names, (Guid AccountId, Guid PartnerId)[] chunk, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<Guid, Guid>();
        foreach (var (account, partner) in chunk)
        {
            wanted[account] = partner;
        }

        var assigned = new Dictionary<Guid, Guid>();
        var partnerColumn = WebApiRow.ValueOf(AccountColumns.AssignedPartnerId);
        var query = $"{names.Accounts}?$select={AccountColumns.Id},{partnerColumn}&$filter={ODataFilter.AnyOf(AccountColumns.Id, wanted.Keys)}";
        await foreach (var (id, partner) in client.QueryAsync(query, row => (row.GetProperty(AccountColumns.Id).GetGuid(), Id(row, partnerColumn)), cancellationToken).ConfigureAwait(false))
        {
            if (partner is { } p && wanted.TryGetValue(id, out var planned) && planned == p)
            {
                assigned[id] = p;
            }
        }

        return assigned;
    }

    /// <summary>
    /// The open deals without a partner whose customer is one of <paramref name="assigned"/>, minus those already
    /// settled. Read whole before any is written (the writes change what the filter matches; webapi-notes §1.4).
    /// </summary>
    private static async Task<List<OpportunityJournalDeal>> OpenDealsAsync(DataverseWebApiClient client, TableNames names, Dictionary<Guid, Guid> assigned, HashSet<Guid> settled, CancellationToken cancellationToken)
    {
        var customer = WebApiRow.ValueOf(OpportunityColumns.CustomerId);
        var query = $"{names.Deals}?$select={names.DealId},{customer}&$filter=statecode eq 0 and {WebApiRow.ValueOf(OpportunityColumns.PartnerId)} eq null and {ODataFilter.AnyOf(customer, assigned.Keys)}";
        var open = new List<OpportunityJournalDeal>();
        await foreach (var (deal, account) in client.QueryAsync(query, row => (row.GetProperty(names.DealId).GetGuid(), Id(row, customer)), cancellationToken).ConfigureAwait(false))
        {
            if (account is { } a && assigned.TryGetValue(a, out var partner) && !settled.Contains(deal))
            {
                open.Add(new OpportunityJournalDeal { Id = deal, Account = a, Prior = null, Target = partner });
            }
        }

        return open;
    }

    /// <summary>Names a chunk of planned accounts: SHA-256 over its account and partner ids, in order.</summary>
    private static string Fingerprint((Guid AccountId, Guid PartnerId)[] chunk)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bytes = stackalloc byte[16];
        foreach (var (account, partner) in chunk)
        {
            account.TryWriteBytes(bytes);
            hash.AppendData(bytes);
            partner.TryWriteBytes(bytes);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}

/// <summary>
/// What the attacher works on: the run, its planned accounts and partners (streamed), the journal and report folders,
/// where its summary line goes, the scrubber for error texts, and the account run's exit code.
/// </summary>
internal sealed record AttachRun(
    string RunId,
    IAsyncEnumerable<(Guid AccountId, Guid PartnerId)> Planned,
    string JournalFolder,
    string ReportFolder,
    TextWriter Output,
    Func<string, string> Scrub,
    int ExitCode);

/// <summary>How the attacher runs: chunk and batch sizes, write path, time and (in tests) journal faults.</summary>
internal sealed record AttachSettings(int AccountsPerChunk, int DealsPerBatch, WritePath WritePath, TimeProvider Time, JournalFaults? Faults = null)
{
    /// <summary>
    /// 50 accounts per chunk keeps the two filter URLs of a chunk short (about 3,000 characters each); 100 deals per
    /// write, as the account runs' default batch size.
    /// </summary>
    public static AttachSettings Default { get; } = new(50, 100, WritePath.Auto, TimeProvider.System);
}
