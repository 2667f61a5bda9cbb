using System.Text.Json.Nodes;

namespace PartnerGuard.Integration.Dataverse.WebApi.Batch;

/// <summary>
/// One request inside a $batch: method, URL relative to the Web API root (e.g. "accounts(…)"), optional
/// JSON body and per-part headers (If-Match, MSCRM.* are set per part: webapi-notes §3.1 recommends it,
/// inheritance from the outer request being unverified).
/// </summary>
internal sealed record BatchOperation(HttpMethod Method, string Url, JsonObject? Body = null, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>A PATCH that only updates (If-Match: *), never creates a row by accident (webapi-notes §2.3).</summary>
    public static BatchOperation UpdateOnly(string url, JsonObject body) =>
        new(HttpMethod.Patch, url, body, [new("If-Match", "*")]);
}

/// <summary>An item of a batch: a lone operation, or a change set whose operations succeed or fail together.</summary>
internal abstract record BatchItem;

/// <summary>A lone operation; with continue-on-error its failure does not stop the batch.</summary>
internal sealed record BatchSingle(BatchOperation Operation) : BatchItem;

/// <summary>An atomic group (like ExecuteTransaction); each operation gets a Content-ID.</summary>
internal sealed record BatchChangeSet(IReadOnlyList<BatchOperation> Operations) : BatchItem;

/// <summary>A whole $batch request.</summary>
internal sealed record BatchRequest(IReadOnlyList<BatchItem> Items, bool ContinueOnError)
{
    /// <summary>The service limit: at most 1000 operations per batch (webapi-notes §3.1).</summary>
    public const int MaxOperations = 1000;

    public int OperationCount => Items.Sum(i => i is BatchChangeSet c ? c.Operations.Count : 1);

    /// <summary>Every operation in request order, as the outcomes list them.</summary>
    public IEnumerable<BatchOperation> Operations =>
        Items.SelectMany(i => i is BatchChangeSet c ? c.Operations : [((BatchSingle)i).Operation]);
}
