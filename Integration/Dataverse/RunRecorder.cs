using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Keeps the run's summary row in <c>pg_reassignmentrun</c> (DESIGN §2): started, status, strategy, parameters,
/// counts. The row id is derived from the run id, so a resumed run updates the same row (upsert). The summary
/// is a convenience for admins: failing to store it is reported as a warning and never fails the run.
/// </summary>
internal sealed class RunRecorder
{
    private const string Table = ReassignmentRunColumns.Table;

    private readonly DataverseWebApiClient _client;
    private readonly TextWriter _warnings;

    public RunRecorder(DataverseWebApiClient client, TextWriter warnings)
    {
        _client = client;
        _warnings = warnings;
    }

    /// <summary>A stable row id for a run id (name-based, version 5 layout over SHA-256).</summary>
    public static Guid RowId(string runId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("partnerguard-run:" + runId));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public Task StartedAsync(string runId, string strategy, IReadOnlyDictionary<string, string> parameters, int planned, DateTimeOffset now, bool resumed, CancellationToken cancellationToken)
    {
        var values = new JsonObject
        {
            [ReassignmentRunColumns.Name] = runId,
            [ReassignmentRunColumns.Status] = ReassignmentRunStatusValues.Running,
            [ReassignmentRunColumns.Strategy] = strategy,
            [ReassignmentRunColumns.Parameters] = new JsonObject(parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))).ToJsonString(),
            [ReassignmentRunColumns.Planned] = planned,
        };
        if (!resumed)
        {
            values[ReassignmentRunColumns.StartedOn] = Format(now);
        }

        return SaveAsync(runId, values, cancellationToken);
    }

    public Task FinishedAsync(RunSummary summary, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var values = new JsonObject();
        if (summary.Operation == RunKind.Undo.Operation)
        {
            values[ReassignmentRunColumns.Undone] = summary.Applied;
            if (!summary.Interrupted)
            {
                values[ReassignmentRunColumns.Status] = ReassignmentRunStatusValues.Undone;
            }
        }
        else
        {
            values[ReassignmentRunColumns.Applied] = summary.Applied;
            values[ReassignmentRunColumns.Failed] = summary.Failed;
            values[ReassignmentRunColumns.Status] = summary.Interrupted ? ReassignmentRunStatusValues.Interrupted : summary.Failed > 0 ? ReassignmentRunStatusValues.CompletedWithFailures : ReassignmentRunStatusValues.Completed;
            if (!summary.Interrupted)
            {
                values[ReassignmentRunColumns.FinishedOn] = Format(now);
            }
        }

        return SaveAsync(summary.RunId, values, cancellationToken);
    }

    private async Task SaveAsync(string runId, JsonObject values, CancellationToken cancellationToken)
    {
        try
        {
            var set = await _client.GetEntitySetNameAsync(Table, cancellationToken).ConfigureAwait(false);
            await _client.UpsertAsync(set, RowId(runId), values, cancellationToken).ConfigureAwait(false);
        }
        catch (DataverseException error)
        {
            await _warnings.WriteLineAsync($"partnerguard: warning: the run summary could not be stored in {Table} ({error.Error}); the journal and the report still hold the results.").ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            await _warnings.WriteLineAsync($"partnerguard: warning: the run summary could not be stored in {Table} ({error.Message}).").ConfigureAwait(false);
        }
    }

    private static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
