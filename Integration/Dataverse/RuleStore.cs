using System.Globalization;
using System.Text.Json.Nodes;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// Writes an import's diff to Dataverse in one $batch change set, so it is applied entirely or not at all. The
/// rule plugin validates every row on the server as well. Ids are written explicitly, so a repeated import finds
/// the same rows.
/// </summary>
internal sealed class RuleStore
{
    private readonly DataverseWebApiClient _client;

    public RuleStore(DataverseWebApiClient client)
    {
        _client = client;
    }

    /// <summary>Applies added and changed rules (and deletes the missing ones when asked); returns how many were deleted.</summary>
    public async Task<int> ApplyAsync(RulesDiff diff, IReadOnlyList<DirectSalesRuleDraft> stored, bool deleteMissing, CancellationToken cancellationToken)
    {
        var set = await _client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        var accountSet = await _client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var accountNav = await _client.GetLookupNavigationNameAsync(DirectSalesRuleColumns.Table, DirectSalesRuleColumns.AccountId, AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var byId = stored.ToDictionary(s => s.Id);
        var operations = new List<BatchOperation>();
        foreach (var added in diff.Added)
        {
            var body = Body(added.Incoming!, null, accountSet, accountNav);
            body[DirectSalesRuleColumns.Id] = added.Id.ToString("D");
            operations.Add(new BatchOperation(HttpMethod.Post, set, body));
            if (!added.Incoming!.IsActive)
            {
                operations.Add(BatchOperation.UpdateOnly($"{set}({added.Id:D})", new JsonObject { [DirectSalesRuleColumns.StateCode] = 1 }));
            }
        }

        foreach (var changed in diff.Changed)
        {
            operations.Add(BatchOperation.UpdateOnly($"{set}({changed.Id:D})", Body(changed.Incoming!, byId.GetValueOrDefault(changed.Id), accountSet, accountNav)));
        }

        var deleted = 0;
        if (deleteMissing)
        {
            foreach (var missing in diff.Missing)
            {
                operations.Add(new BatchOperation(HttpMethod.Delete, $"{set}({missing.Id:D})"));
                deleted++;
            }
        }

        if (operations.Count == 0)
        {
            return 0;
        }

        if (operations.Count > BatchRequest.MaxOperations)
        {
            throw new Domain.UsageException($"The import needs {operations.Count} writes; one atomic batch takes at most {BatchRequest.MaxOperations}. Split the rules file.");
        }

        var outcomes = await _client.ExecuteBatchAsync(new BatchRequest([new BatchChangeSet(operations)], ContinueOnError: false), cancellationToken).ConfigureAwait(false);
        // One change set: the first failure rolls back every write of the import.
        var failure = outcomes.FirstOrDefault(o => o.Kind == BatchOutcomeKind.Failed) ?? outcomes.FirstOrDefault(o => o.Kind != BatchOutcomeKind.Succeeded);
        if (failure is not null)
        {
            throw new DataverseException(failure.Error ?? new DataverseError(System.Net.HttpStatusCode.InternalServerError, "0", $"The import batch stopped at {failure.Operation.Method} {failure.Operation.Url}; nothing was written."));
        }

        return deleted;
    }

    /// <summary>Every column of the rule, including empty ones, so a parameter of a former kind is cleared.</summary>
    private static JsonObject Body(DirectSalesRuleDraft rule, DirectSalesRuleDraft? before, string accountSet, string accountNav)
    {
        var r = RulesDocument.Canonical(rule);
        var body = new JsonObject
        {
            [DirectSalesRuleColumns.Name] = r.Name,
            [DirectSalesRuleColumns.Kind] = (int)Enum.Parse<DirectSalesRuleKind>(r.Kind!),
            [DirectSalesRuleColumns.Measure] = r.Measure is null ? null : (int)Enum.Parse<SizeMeasure>(r.Measure),
            [DirectSalesRuleColumns.Threshold] = r.Threshold,
            [DirectSalesRuleColumns.Countries] = r.Countries,
            [DirectSalesRuleColumns.Regions] = r.Regions,
            [DirectSalesRuleColumns.IncludeSubsidiaries] = r.IncludeSubsidiaries ?? false,
            [DirectSalesRuleColumns.Description] = r.Description,
            [DirectSalesRuleColumns.Priority] = r.Priority,
            [DirectSalesRuleColumns.EffectiveFrom] = r.EffectiveFrom is { } from ? RulesDocument.Day(from) + "T00:00:00Z" : null,
            [DirectSalesRuleColumns.EffectiveTo] = r.EffectiveTo is { } to ? RulesDocument.Day(to) + "T00:00:00Z" : null,
        };
        if (r.AccountId is { } account)
        {
            body[accountNav + "@odata.bind"] = $"/{accountSet}({account:D})";
        }
        else if (before?.AccountId is not null)
        {
            // Clearing a lookup with a null bind (webapi-notes: unverified against Dataverse; the emulator accepts it).
            body[accountNav + "@odata.bind"] = null;
        }

        if (before is not null)
        {
            body[DirectSalesRuleColumns.StateCode] = r.IsActive ? 0 : 1;
        }

        return body;
    }
}
