using System.Globalization;
using System.Text.Json.Nodes;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;
using OpportunityColumns = PartnerGuard.Policy.Schema.OpportunityColumns;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Writes one batch of deals (partner attached through "@odata.bind") and reads back the channel plugin's decision.
/// With UpdateMultiple, one request per batch; on standard tables UpdateMultiple is one transaction, so a plugin that
/// refuses one deal fails the whole request and nothing of it is kept (Microsoft Learn, "Use bulk operation
/// messages": on error with standard tables the entire operation rolls back). That batch is then sent again as
/// $batch with continue-on-error, each deal a PATCH with If-Match: *, so the refused deal is reported with the
/// plugin's message and the others are attached. Without UpdateMultiple, $batch is the write path.
/// </summary>
internal sealed class OpportunityBatchWriter(DataverseWebApiClient client, TableNames names, bool bulk, Func<string, string> scrub)
{
    /// <summary>Sends the batch; returns one result per deal, in order (outcome, and the decision read back).</summary>
    public async Task<List<OpportunityJournalDeal>> WriteAsync(IReadOnlyList<OpportunityJournalDeal> deals, CancellationToken cancellationToken)
    {
        var errors = await SendAsync(deals, cancellationToken).ConfigureAwait(false);
        var written = deals.Where((_, i) => errors[i] is null).ToList();
        var decisions = await ReadAsync(written.Select(d => d.Id), cancellationToken).ConfigureAwait(false);
        var results = new List<OpportunityJournalDeal>(deals.Count);
        for (var i = 0; i < deals.Count; i++)
        {
            var deal = deals[i];
            var result = new OpportunityJournalDeal { Id = deal.Id, Account = deal.Account, Prior = deal.Prior, Target = deal.Target };
            if (errors[i] is { } error)
            {
                result.Outcome = OpportunityJournalDeal.Failed;
                result.Code = error.Code.Length == 0 ? null : error.Code;
                result.Reason = scrub(error.ToString());
            }
            else
            {
                result.Outcome = OpportunityJournalDeal.Attached;
                if (decisions.TryGetValue(deal.Id, out var decision))
                {
                    result.Channel = decision.Channel;
                    result.Reason = decision.Reason;
                }
            }

            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Re-reads deals in doubt; returns, as attached results, those that now name their target partner. The others
    /// are not settled: if they are still open without a partner, the chunk's selection picks them up again.
    /// </summary>
    public async Task<List<OpportunityJournalDeal>> ConfirmAsync(IReadOnlyList<OpportunityJournalDeal> deals, CancellationToken cancellationToken)
    {
        var confirmed = new List<OpportunityJournalDeal>();
        foreach (var part in deals.Chunk(100))
        {
            var stored = await ReadAsync(part.Select(d => d.Id), cancellationToken).ConfigureAwait(false);
            foreach (var deal in part)
            {
                if (stored.TryGetValue(deal.Id, out var now) && now.Partner == deal.Target)
                {
                    confirmed.Add(new OpportunityJournalDeal
                    {
                        Id = deal.Id, Account = deal.Account, Prior = deal.Prior, Target = deal.Target,
                        Outcome = OpportunityJournalDeal.Attached, Channel = now.Channel, Reason = now.Reason,
                    });
                }
            }
        }

        return confirmed;
    }

    /// <summary>Per deal: null when it was written, else the error that refused it.</summary>
    private async Task<DataverseError?[]> SendAsync(IReadOnlyList<OpportunityJournalDeal> deals, CancellationToken cancellationToken)
    {
        var errors = new DataverseError?[deals.Count];
        if (bulk)
        {
            try
            {
                await client.UpdateMultipleAsync(OpportunityColumns.Table, names.Deals, names.DealId, [.. deals.Select(d => (d.Id, Changes(d)))], cancellationToken).ConfigureAwait(false);
                return errors;
            }
            catch (DataverseException ex) when (!ex.Error.IsThrottling && !ex.Error.IsAuthentication)
            {
                // Rolled back as a whole (see the class comment): isolate the refused deals below. Throttling that
                // outlasted the client's retries, or a lost sign-in, is no verdict on the deals: it stops the run.
            }
        }

        var request = new BatchRequest([.. deals.Select(d => (BatchItem)new BatchSingle(BatchOperation.UpdateOnly($"{names.Deals}({d.Id:D})", Changes(d))))], ContinueOnError: true);
        // A $batch refused as a whole (after the client's retries) throws: no verdict on any deal, the run stops with
        // the batch in doubt, and resuming re-reads it.
        var outcomes = await client.ExecuteBatchAsync(request, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < deals.Count; i++)
        {
            var outcome = i < outcomes.Count ? outcomes[i] : null;
            errors[i] = outcome?.Kind switch
            {
                BatchOutcomeKind.Succeeded => null,
                BatchOutcomeKind.Failed => outcome.Error ?? new DataverseError(outcome.Response?.Status ?? 0, string.Empty, "The update failed without an error message."),
                _ => new DataverseError(0, string.Empty, "The update was not executed (the batch stopped before it)."),
            };
        }

        return errors;
    }

    private JsonObject Changes(OpportunityJournalDeal deal) =>
        new() { [names.PartnerNavigation + "@odata.bind"] = $"/{names.Accounts}({deal.Target.ToString("D", CultureInfo.InvariantCulture)})" };

    /// <summary>One query for up to a batch of deals: their partner and the plugin's recorded decision.</summary>
    private async Task<Dictionary<Guid, (Guid? Partner, int? Channel, string? Reason)>> ReadAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var decisions = new Dictionary<Guid, (Guid? Partner, int? Channel, string? Reason)>();
        var list = ids.ToList();
        if (list.Count == 0)
        {
            return decisions;
        }

        var partner = WebApiRow.ValueOf(OpportunityColumns.PartnerId);
        var query = $"{names.Deals}?$select={names.DealId},{partner},{OpportunityColumns.Channel},{OpportunityColumns.ChannelReason}&$filter={ODataFilter.AnyOf(names.DealId, list)}";
        await foreach (var (id, decision) in client.QueryAsync(query, row => (row.GetProperty(names.DealId).GetGuid(), Read(row, partner)), cancellationToken).ConfigureAwait(false))
        {
            decisions[id] = decision;
        }

        return decisions;
    }

    private static (Guid? Partner, int? Channel, string? Reason) Read(System.Text.Json.JsonElement row, string partner) =>
        (WebApiRow.Id(row, partner),
         row.TryGetProperty(OpportunityColumns.Channel, out var channel) && channel.ValueKind == System.Text.Json.JsonValueKind.Number ? channel.GetInt32() : null,
         row.TryGetProperty(OpportunityColumns.ChannelReason, out var reason) && reason.ValueKind == System.Text.Json.JsonValueKind.String ? reason.GetString() : null);
}
