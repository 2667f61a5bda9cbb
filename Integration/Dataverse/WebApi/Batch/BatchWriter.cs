using System.Text;
using System.Text.Json;

namespace PartnerGuard.Integration.Dataverse.WebApi.Batch;

/// <summary>
/// Writes a $batch body in the multipart/mixed format of OData 4.0 §11.7 as Dataverse documents it
/// ("Execute batch operations using the Web API"): each part has Content-Type application/http and
/// Content-Transfer-Encoding binary; change sets are nested multipart/mixed parts whose operations carry
/// Content-ID; bodies are JSON with type=entry. Lines end in CRLF. Output is deterministic for given ids.
/// </summary>
internal static class BatchWriter
{
    private const string Crlf = "\r\n";

    /// <param name="request">The batch.</param>
    /// <param name="apiRoot">The Web API root, e.g. https://org.crm.dynamics.com/api/data/v9.2/ (part URLs are absolute).</param>
    /// <param name="batchId">The batch boundary id (unique per request).</param>
    /// <returns>The body and the Content-Type header value for the outer request.</returns>
    public static (string Body, string ContentType) Write(BatchRequest request, Uri apiRoot, string batchId)
    {
        if (request.OperationCount == 0)
        {
            throw new ArgumentException("A batch needs at least one operation.", nameof(request));
        }

        if (request.OperationCount > BatchRequest.MaxOperations)
        {
            throw new ArgumentException($"A batch holds at most {BatchRequest.MaxOperations} operations; this one has {request.OperationCount}.", nameof(request));
        }

        var boundary = "batch_" + batchId;
        var text = new StringBuilder();
        var changeSetNumber = 0;
        var contentId = 0;
        foreach (var item in request.Items)
        {
            text.Append("--").Append(boundary).Append(Crlf);
            switch (item)
            {
                case BatchSingle single:
                    WriteOperation(text, single.Operation, apiRoot, contentId: null);
                    break;
                case BatchChangeSet changeSet:
                    var changeBoundary = $"changeset_{batchId}_{++changeSetNumber}";
                    text.Append("Content-Type: multipart/mixed; boundary=\"").Append(changeBoundary).Append('"').Append(Crlf).Append(Crlf);
                    foreach (var operation in changeSet.Operations)
                    {
                        text.Append("--").Append(changeBoundary).Append(Crlf);
                        WriteOperation(text, operation, apiRoot, ++contentId);
                    }

                    text.Append("--").Append(changeBoundary).Append("--").Append(Crlf);
                    break;
                default:
                    throw new ArgumentException($"Unknown batch item {item.GetType().Name}.", nameof(request));
            }
        }

        text.Append("--").Append(boundary).Append("--").Append(Crlf);
        return (text.ToString(), $"multipart/mixed; boundary=\"{boundary}\"");
    }

    private static void WriteOperation(StringBuilder text, BatchOperation operation, Uri apiRoot, int? contentId)
    {
        text.Append("Content-Type: application/http").Append(Crlf);
        text.Append("Content-Transfer-Encoding: binary").Append(Crlf);
        if (contentId is { } id)
        {
            text.Append("Content-ID: ").Append(id).Append(Crlf);
        }

        text.Append(Crlf);
        var url = operation.Url.StartsWith('$') ? operation.Url : new Uri(apiRoot, operation.Url).AbsoluteUri;
        text.Append(operation.Method.Method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf);
        if (operation.Body is not null)
        {
            text.Append("Content-Type: application/json; type=entry").Append(Crlf);
        }

        foreach (var header in operation.Headers ?? [])
        {
            text.Append(header.Key).Append(": ").Append(header.Value).Append(Crlf);
        }

        text.Append(Crlf);
        if (operation.Body is not null)
        {
            text.Append(operation.Body.ToJsonString(JsonOptions)).Append(Crlf);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };
}
