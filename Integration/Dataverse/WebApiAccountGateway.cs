using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Reads and writes the run columns of accounts over the Web API. Writes use UpdateMultiple when the table
/// supports it (one request per batch, webapi-notes §3.2) and fall back to $batch with continue-on-error
/// (one PATCH with If-Match: * per account) when it does not, or when an UpdateMultiple fails as a whole —
/// that isolates the failing records, since a standard table rolls the whole UpdateMultiple back.
/// Only changed columns are sent.
/// </summary>
internal sealed class WebApiAccountGateway : IAccountGateway
{
    /// <summary>
    /// Ids per read query. With In(...) each id costs 39 characters, so 100 ids make a URL of about 4,300 characters,
    /// well under the Web API's 32,768 (and under the 8,192 of common proxies and of Kestrel's default request line).
    /// </summary>
    private const int ReadChunk = 100;

    private readonly DataverseWebApiClient _client;
    private readonly WritePath _writePath;
    private string? _entitySet;
    private string? _partnerNavigation;
    private bool? _useUpdateMultiple;

    public WebApiAccountGateway(DataverseWebApiClient client, WritePath writePath)
    {
        _client = client;
        _writePath = writePath;
    }

    /// <summary>Which write path the last batch used ("UpdateMultiple" or "$batch"), for the summary.</summary>
    public string? LastWritePath { get; private set; }

    public async Task<IReadOnlyDictionary<Guid, AccountState>> ReadAsync(IReadOnlyList<Guid> accountIds, CancellationToken cancellationToken)
    {
        var set = await EntitySetAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<Guid, AccountState>();
        foreach (var chunk in accountIds.Chunk(ReadChunk))
        {
            var select = string.Join(",", AccountColumns.Id, WebApiRow.ValueOf(AccountColumns.AssignedPartnerId), WebApiRow.ValueOf(AccountColumns.OwnerId), AccountColumns.PartnerAssignedOn, AccountColumns.AssignmentRun);
            var query = $"{set}?$select={select}&$filter={ODataFilter.In(AccountColumns.Id, chunk)}";
            await foreach (var (id, state) in _client.QueryAsync(query, ReadState, cancellationToken, DataverseWebApiClient.LookupTableAnnotation).ConfigureAwait(false))
            {
                found[id] = state;
            }
        }

        return found;
    }

    /// <summary>
    /// Writes the changes. A failure whose outcome is unknown (a lost answer, a timeout, a 5xx: the server may have
    /// applied the request) is not answered by sending the same request again: the batch's accounts are re-read, those
    /// that already carry their target count as applied, and only those still in their prior state are sent again
    /// (up to <see cref="MaxResends"/> times; then the failure goes to the runner and the batch stays in doubt). So
    /// each account is written once however many answers are lost (issue #12 defect 9). Throttling past the time
    /// budget is known not to have run and goes to the runner at once, as before.
    /// </summary>
    public async Task<IReadOnlyList<AccountResult>> WriteAsync(IReadOnlyList<AccountChange> changes, CancellationToken cancellationToken)
    {
        var settled = new Dictionary<Guid, AccountResult>(changes.Count);
        var pending = changes;
        for (var resend = 0; pending.Count > 0; resend++)
        {
            try
            {
                foreach (var result in await WriteOnceAsync(pending, cancellationToken).ConfigureAwait(false))
                {
                    settled[result.AccountId] = result;
                }

                break;
            }
            catch (Exception error) when (resend < MaxResends && UnknownOutcome(error, cancellationToken))
            {
                pending = await StillToWriteAsync(pending, settled, cancellationToken).ConfigureAwait(false);
            }
        }

        return changes.Select(c => settled[c.AccountId]).ToList();
    }

    /// <summary>How many times one batch is sent again after failures whose outcome was unknown.</summary>
    internal const int MaxResends = 10;

    /// <summary>
    /// Re-reads the accounts of a write whose outcome is unknown: an account with its target is settled as applied,
    /// one that is gone or was changed by someone else in between is settled as skipped, and the ones still in their
    /// prior state are returned, to be sent again.
    /// </summary>
    private async Task<IReadOnlyList<AccountChange>> StillToWriteAsync(IReadOnlyList<AccountChange> pending, Dictionary<Guid, AccountResult> settled, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(pending.Select(c => c.AccountId).ToList(), cancellationToken).ConfigureAwait(false);
        var again = new List<AccountChange>();
        foreach (var change in pending)
        {
            if (!current.TryGetValue(change.AccountId, out var state))
            {
                settled[change.AccountId] = new AccountResult(change.AccountId, AccountOutcome.Skipped, null, "the account no longer exists");
            }
            else if (Holds(state, change, change.Target))
            {
                settled[change.AccountId] = new AccountResult(change.AccountId, AccountOutcome.Applied, null, "applied (the answer was lost; a re-read found the change made)");
            }
            else if (Holds(state, change, change.Prior))
            {
                again.Add(change);
            }
            else
            {
                settled[change.AccountId] = new AccountResult(change.AccountId, AccountOutcome.Skipped, null, "it was changed by someone else while the answer to its write was lost");
            }
        }

        return again;
    }

    /// <summary>Whether <paramref name="current"/> has <paramref name="expected"/>'s values in every column the change writes.</summary>
    private static bool Holds(AccountState current, AccountChange change, AccountState expected)
    {
        var (prior, target) = (change.Prior, change.Target);
        return (target.PartnerId == prior.PartnerId || current.PartnerId == expected.PartnerId)
            && (target.OwnerId is null || (target.OwnerId == prior.OwnerId && target.OwnerTable == prior.OwnerTable) || current.OwnerId == expected.OwnerId)
            && (target.AssignedOn == prior.AssignedOn || current.AssignedOn == expected.AssignedOn)
            && (target.AssignmentRun == prior.AssignmentRun || current.AssignmentRun == expected.AssignmentRun);
    }

    /// <summary>True for failures after which the server may or may not have applied the write.</summary>
    private static bool UnknownOutcome(Exception error, CancellationToken cancellationToken) => error switch
    {
        DataverseException dataverse => !dataverse.Error.IsThrottling && !dataverse.Error.IsAuthentication
            && ((int)dataverse.Error.Status >= 500 || dataverse.Error.Status == System.Net.HttpStatusCode.RequestTimeout),
        HttpRequestException => true,
        Polly.Timeout.TimeoutRejectedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };

    private async Task<IReadOnlyList<AccountResult>> WriteOnceAsync(IReadOnlyList<AccountChange> changes, CancellationToken cancellationToken)
    {
        var set = await EntitySetAsync(cancellationToken).ConfigureAwait(false);
        var navigation = _partnerNavigation ??= await _client.GetLookupNavigationNameAsync(AccountColumns.Table, AccountColumns.AssignedPartnerId, AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var bodies = changes.Select(c => (c.AccountId, Body: Changes(c, navigation, set))).ToList();

        if (await UseUpdateMultipleAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _client.UpdateMultipleAsync(AccountColumns.Table, set, AccountColumns.Id, bodies, cancellationToken, resendAfterUnknownOutcome: false).ConfigureAwait(false);
                LastWritePath = "UpdateMultiple";
                return changes.Select(c => new AccountResult(c.AccountId, AccountOutcome.Applied)).ToList();
            }
            catch (DataverseException error) when (!error.Error.IsThrottling && !error.Error.IsAuthentication && (int)error.Error.Status is >= 400 and < 500)
            {
                // The whole request was rolled back; send the batch again record by record to find the bad ones.
            }
        }

        var batch = new BatchRequest(
            bodies.Select(b => (BatchItem)new BatchSingle(BatchOperation.UpdateOnly($"{set}({b.AccountId:D})", b.Body))).ToList(),
            ContinueOnError: true);
        var outcomes = await _client.ExecuteBatchAsync(batch, cancellationToken, resendAfterUnknownOutcome: false).ConfigureAwait(false);
        LastWritePath = "$batch";
        var results = new List<AccountResult>();
        for (var i = 0; i < changes.Count; i++)
        {
            var outcome = outcomes[i];
            switch (outcome.Kind)
            {
                case BatchOutcomeKind.Succeeded:
                    results.Add(new AccountResult(changes[i].AccountId, AccountOutcome.Applied));
                    break;
                case BatchOutcomeKind.Failed when outcome.Error is { } error && (error.IsThrottling || (int)error.Status >= 500):
                    // Not a verdict on the record: leave it in doubt (no result); a resumed run re-reads it.
                    break;
                case BatchOutcomeKind.Failed:
                    results.Add(new AccountResult(changes[i].AccountId, AccountOutcome.Failed, outcome.Error?.Code, outcome.Error?.Message));
                    break;
                default:
                    break; // not executed: stays in doubt
            }
        }

        if (results.Count < changes.Count)
        {
            throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.ServiceUnavailable, string.Empty,
                $"{changes.Count - results.Count} of {changes.Count} records of a batch got no final answer (throttled or a server error)."));
        }

        return results;
    }

    /// <summary>The PATCH body: only the columns whose target differs from the prior state.</summary>
    internal static JsonObject Changes(AccountChange change, string partnerNavigation, string accountSet)
    {
        var body = new JsonObject();
        var (prior, target) = (change.Prior, change.Target);
        if (target.PartnerId != prior.PartnerId)
        {
            body[$"{partnerNavigation}@odata.bind"] = target.PartnerId is { } partner ? $"/{accountSet}({partner:D})" : null;
        }

        if (target.OwnerId is { } owner && (owner != prior.OwnerId || target.OwnerTable != prior.OwnerTable))
        {
            var ownerSet = target.OwnerTable == "team" ? "teams" : "systemusers";
            body["ownerid@odata.bind"] = $"/{ownerSet}({owner:D})";
        }

        if (target.AssignedOn != prior.AssignedOn)
        {
            body[AccountColumns.PartnerAssignedOn] = target.AssignedOn?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        if (target.AssignmentRun != prior.AssignmentRun)
        {
            body[AccountColumns.AssignmentRun] = target.AssignmentRun;
        }

        return body;
    }

    private static (Guid Id, AccountState State) ReadState(JsonElement row)
    {
        var id = row.GetProperty(AccountColumns.Id).GetGuid();
        Guid? partner = row.TryGetProperty(WebApiRow.ValueOf(AccountColumns.AssignedPartnerId), out var p) && p.ValueKind == JsonValueKind.String ? p.GetGuid() : null;
        var ownerKey = WebApiRow.ValueOf(AccountColumns.OwnerId);
        Guid? owner = row.TryGetProperty(ownerKey, out var o) && o.ValueKind == JsonValueKind.String ? o.GetGuid() : null;
        var ownerTable = row.TryGetProperty(ownerKey + Annotations.LookupLogicalName, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        DateTimeOffset? assignedOn = row.TryGetProperty(AccountColumns.PartnerAssignedOn, out var a) && a.ValueKind == JsonValueKind.String ? a.GetDateTimeOffset() : null;
        var run = row.TryGetProperty(AccountColumns.AssignmentRun, out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        return (id, new AccountState(partner, owner, ownerTable, assignedOn, run));
    }

    private async Task<string> EntitySetAsync(CancellationToken cancellationToken) =>
        _entitySet ??= await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);

    private async Task<bool> UseUpdateMultipleAsync(CancellationToken cancellationToken) =>
        _useUpdateMultiple ??= _writePath switch
        {
            WritePath.Batch => false,
            WritePath.UpdateMultiple => true,
            _ => await _client.SupportsUpdateMultipleAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false),
        };
}
