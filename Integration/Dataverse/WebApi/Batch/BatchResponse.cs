using System.Net;

namespace PartnerGuard.Integration.Dataverse.WebApi.Batch;

/// <summary>One HTTP response found inside a $batch response.</summary>
internal sealed record BatchPartResponse(string? ContentId, HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public DataverseError? Error => IsSuccess ? null : DataverseErrorParser.Parse(Status, Body);
}

/// <summary>A top-level part: a lone response, or the responses of one change set.</summary>
internal abstract record BatchResponseItem;

internal sealed record BatchResponseSingle(BatchPartResponse Response) : BatchResponseItem;

internal sealed record BatchResponseChangeSet(IReadOnlyList<BatchPartResponse> Responses) : BatchResponseItem;

/// <summary>What happened to one requested operation.</summary>
internal enum BatchOutcomeKind
{
    Succeeded,
    Failed,

    /// <summary>No response for it: the batch stopped at an earlier error (no continue-on-error).</summary>
    NotExecuted,
}

internal sealed record BatchOutcome(BatchOperation Operation, BatchOutcomeKind Kind, BatchPartResponse? Response, DataverseError? Error);
