using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.WebApi;
using OpportunityColumns = PartnerGuard.Plugins.OpportunityColumns;

namespace PartnerGuard.Integration.Execution;

/// <summary>
/// `--attach-open-opportunities` of apply and distribute: after the accounts are assigned, each planned account that
/// now carries its planned partner gets that partner on its OPEN opportunities (statecode 0) that name no partner.
/// Every deal is a normal update (PATCH with If-Match: *), so the channel plugin runs and records its decision
/// (pg_channel, pg_channelreason), which is read back into the report. Safe to re-run: a deal that already names a
/// partner is never selected, so nothing is written twice and no other partner is replaced. Undo does not detach
/// the partners again (the deal's channel decision was made and recorded by the plugin; clearing it would leave the
/// deal without a partner, which Enforce mode refuses); the report says so.
/// </summary>
internal static class OpportunityAttacher
{
    public const string UndoNote = "undo does not detach these partners from the deals";

    public static Option<bool> Option() => new("--attach-open-opportunities")
    {
        Description = "After the accounts are assigned, attach each account's new partner to its open opportunities that have no partner (normal updates: the channel plugin records its decision). Deals with a partner and closed deals are left alone. Undo does not detach them.",
    };

    /// <summary>One deal the run attached (or tried to).</summary>
    internal sealed record Attachment(Guid OpportunityId, Guid AccountId, Guid PartnerId, string Outcome, int? Channel, string? Reason);

    /// <summary>
    /// Attaches and writes `&lt;run&gt;.apply.opportunities.csv` into <paramref name="reportFolder"/>. Returns the
    /// exit code: <paramref name="exitCode"/>, or 2 when a deal could not be updated.
    /// </summary>
    public static async Task<int> RunAsync(
        DataverseWebApiClient client,
        string runId,
        IAsyncEnumerable<(Guid AccountId, Guid PartnerId)> planned,
        string journalDirectory,
        string reportFolder,
        TextWriter output,
        Func<string, string> scrub,
        int exitCode,
        CancellationToken cancellationToken)
    {
        var accounts = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var deals = await client.GetEntitySetNameAsync(OpportunityColumns.Table, cancellationToken).ConfigureAwait(false);
        var partnerNavigation = await client.GetLookupNavigationNameAsync(OpportunityColumns.Table, OpportunityColumns.PartnerId, AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var attachments = new List<Attachment>();
        await foreach (var chunk in planned.Chunk(50).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // Only accounts that carry their planned partner now (skipped or failed rows are left alone).
            var assigned = new Dictionary<Guid, Guid>();
            var accountQuery = $"{accounts}?$select={AccountColumns.Id},{AccountColumns.ValueOf(AccountColumns.AssignedPartner)}&$filter={ODataFilter.AnyOf(AccountColumns.Id, chunk.Select(c => c.AccountId))}";
            await foreach (var (id, partner) in client.QueryAsync(accountQuery, row => (row.GetProperty(AccountColumns.Id).GetGuid(), Lookup(row, AccountColumns.ValueOf(AccountColumns.AssignedPartner))), cancellationToken).ConfigureAwait(false))
            {
                if (partner is { } p && chunk.Any(c => c.AccountId == id && c.PartnerId == p))
                {
                    assigned[id] = p;
                }
            }

            if (assigned.Count == 0)
            {
                continue;
            }

            var customer = AccountColumns.ValueOf(OpportunityColumns.CustomerId);
            var dealQuery = $"{deals}?$select=opportunityid,{customer}&$filter=statecode eq 0 and {AccountColumns.ValueOf(OpportunityColumns.PartnerId)} eq null and ({string.Join(" or ", assigned.Keys.Select(k => $"{customer} eq {k:D}"))})";
            var open = new List<(Guid Deal, Guid Account)>();
            await foreach (var (deal, account) in client.QueryAsync(dealQuery, row => (row.GetProperty("opportunityid").GetGuid(), Lookup(row, customer)), cancellationToken).ConfigureAwait(false))
            {
                if (account is { } a && assigned.ContainsKey(a))
                {
                    open.Add((deal, a));
                }
            }

            foreach (var (deal, account) in open)
            {
                var partner = assigned[account];
                try
                {
                    await client.UpdateAsync(deals, deal, new JsonObject { [partnerNavigation + "@odata.bind"] = $"/{accounts}({partner:D})" }, cancellationToken).ConfigureAwait(false);
                    var stored = await client.RetrieveAsync(deals, deal, $"{OpportunityColumns.Channel},{OpportunityColumns.ChannelReason}", cancellationToken).ConfigureAwait(false);
                    attachments.Add(new Attachment(deal, account, partner, "attached", stored?[OpportunityColumns.Channel]?.GetValue<int>(), stored?[OpportunityColumns.ChannelReason]?.GetValue<string>()));
                }
                catch (DataverseException ex)
                {
                    attachments.Add(new Attachment(deal, account, partner, "failed", null, scrub(ex.Message)));
                }
            }
        }

        var path = Path.Combine(reportFolder, $"{runId}.apply.opportunities.csv");
        using (var text = new StreamWriter(path, append: false, new UTF8Encoding(false)))
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteHeader(["opportunity_id", "account_id", "partner_id", "outcome", "channel", "channel_reason"]);
            foreach (var a in attachments)
            {
                csv.WriteRecord([a.OpportunityId.ToString("D", CultureInfo.InvariantCulture), a.AccountId.ToString("D", CultureInfo.InvariantCulture), a.PartnerId.ToString("D", CultureInfo.InvariantCulture), a.Outcome, a.Channel?.ToString(CultureInfo.InvariantCulture) ?? string.Empty, a.Reason ?? string.Empty]);
            }

            csv.Flush();
        }

        var failed = attachments.Count(a => a.Outcome == "failed");
        await output.WriteLineAsync($"Open opportunities: {attachments.Count - failed} attached to the account's new partner, {failed} failed ({UndoNote}). Report: {path}").ConfigureAwait(false);
        return failed > 0 && exitCode == Cli.ExitCodes.Done ? Cli.ExitCodes.RecordFailures : exitCode;
    }

    private static Guid? Lookup(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) ? id : null;
}
