using System.Net;
using System.ServiceModel;
using System.Text;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// <c>$batch</c> as "Execute batch operations using the Web API" describes it
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
/// multipart/mixed parts of application/http requests, change sets (nested multipart/mixed) that run atomically,
/// Content-ID references (<c>$1</c>) inside a change set, <c>Prefer: odata.continue-on-error</c>, and at most
/// 1,000 operations. Without continue-on-error the batch stops at the first failure and answers 400.
/// </summary>
internal sealed class BatchProcessor
{
    public const int MaxOperations = 1000;
    private const string Crlf = "\r\n";
    private readonly WebApiDispatcher _dispatcher;

    public BatchProcessor(WebApiDispatcher dispatcher) => _dispatcher = dispatcher;

    private abstract record Item;

    private sealed record Single(HttpOperation Operation) : Item;

    private sealed record ChangeSet(IReadOnlyList<HttpOperation> Operations) : Item;

    public WebApiResponse Run(CallContext context, WebApiRequest request)
    {
        var boundary = Boundary(request.Header("Content-Type"))
            ?? throw WebApiException.BadRequest("A $batch request needs Content-Type: multipart/mixed; boundary=batch_<id>.");
        var inherited = request.Headers.Where(h => h.Key.StartsWith("MSCRM.", StringComparison.OrdinalIgnoreCase)).ToList();
        var items = Parse(Encoding.UTF8.GetString(request.Body), boundary, context.Root, inherited);
        var count = items.Sum(i => i is ChangeSet c ? c.Operations.Count : 1);
        if (count == 0)
        {
            throw WebApiException.BadRequest("The $batch request holds no operations.");
        }

        if (count > MaxOperations)
        {
            throw WebApiException.BadRequest($"The $batch request holds {count} operations; a batch may hold at most {MaxOperations}.");
        }

        var continueOnError = Prefer.Parse(request.HeaderValues("Prefer")).ContinueOnError;
        var responseBoundary = "batchresponse_" + Guid.NewGuid().ToString("D");
        var text = new StringBuilder();
        var failed = false;
        foreach (var item in items)
        {
            text.Append("--").Append(responseBoundary).Append(Crlf);
            bool ok;
            if (item is Single single)
            {
                var response = _dispatcher.Handle(context, single.Operation);
                WritePart(text, response, single.Operation.ContentId);
                ok = response.Status < 400;
            }
            else
            {
                ok = RunChangeSet(context, (ChangeSet)item, text);
            }

            if (!ok)
            {
                failed = true;
                if (!continueOnError)
                {
                    break;
                }
            }
        }

        text.Append("--").Append(responseBoundary).Append("--").Append(Crlf);
        var status = failed && !continueOnError ? 400 : 200;
        var result = new WebApiResponse(status, Encoding.UTF8.GetBytes(text.ToString()), $"multipart/mixed; boundary={responseBoundary}");
        if (continueOnError)
        {
            result.With("Preference-Applied", "odata.continue-on-error");
        }

        return result;
    }

    private bool RunChangeSet(CallContext context, ChangeSet changeSet, StringBuilder text)
    {
        var contentIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var plans = new List<WritePlan>();
        foreach (var operation in changeSet.Operations)
        {
            try
            {
                if (operation.Method == "GET")
                {
                    throw WebApiException.BadRequest("GET requests are not allowed inside a change set; send them outside the change set.");
                }

                var plan = _dispatcher.PlanWrite(context, operation, contentIds);
                plans.Add(plan);
                if (operation.ContentId is { } id && plan.EntityPath is { } path)
                {
                    contentIds[id] = path;
                }
            }
            catch (WebApiException ex)
            {
                // Nothing of the change set has run: answer the failing operation's error for the whole set.
                WritePart(text, WebApiErrorWriter.Write(ex, operation), operation.ContentId);
                return false;
            }
        }

        context.Operations += plans.Sum(p => p.Operations);
        var transaction = new OrganizationRequest("ExecuteTransaction")
        {
            ["Requests"] = new OrganizationRequestCollection(),
            ["ReturnResponses"] = true,
        };
        var requests = (OrganizationRequestCollection)transaction["Requests"];
        foreach (var plan in plans)
        {
            requests.Add(plan.Request);
        }

        OrganizationResponseCollection responses;
        try
        {
            var result = _dispatcher.Execute(context, transaction, plans.Any(p => p.Bypass));
            responses = (OrganizationResponseCollection)result.Results["Responses"];
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            // The change set rolled back as a unit; the error names the operation that failed.
            var index = fault.Detail.ErrorDetails.TryGetValue("FaultedRequestIndex", out var value) && value is int i ? i : 0;
            var failing = changeSet.Operations[Math.Clamp(index, 0, changeSet.Operations.Count - 1)];
            WritePart(text, WebApiErrorWriter.Write(WebApiException.FromFault(fault.Detail.InnerFault ?? fault.Detail), failing), failing.ContentId);
            return false;
        }

        var inner = "changesetresponse_" + Guid.NewGuid().ToString("D");
        text.Append("Content-Type: multipart/mixed; boundary=").Append(inner).Append(Crlf).Append(Crlf);
        for (var i = 0; i < plans.Count; i++)
        {
            text.Append("--").Append(inner).Append(Crlf);
            WebApiResponse response;
            try
            {
                response = plans[i].Respond(responses[i]);
            }
            catch (WebApiException ex)
            {
                response = WebApiErrorWriter.Write(ex, changeSet.Operations[i]);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                response = WebApiErrorWriter.Write(WebApiException.FromFault(fault), changeSet.Operations[i]);
            }

            WritePart(text, response, changeSet.Operations[i].ContentId);
        }

        text.Append("--").Append(inner).Append("--").Append(Crlf);
        return true;
    }

    private static void WritePart(StringBuilder text, WebApiResponse response, string? contentId)
    {
        text.Append("Content-Type: application/http").Append(Crlf);
        text.Append("Content-Transfer-Encoding: binary").Append(Crlf);
        if (contentId is not null)
        {
            text.Append("Content-ID: ").Append(contentId).Append(Crlf);
        }

        text.Append(Crlf);
        text.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(Reason(response.Status)).Append(Crlf);
        if (response.ContentType is not null)
        {
            text.Append("Content-Type: ").Append(response.ContentType).Append(Crlf);
        }

        text.Append("OData-Version: 4.0").Append(Crlf);
        foreach (var (name, value) in response.Headers)
        {
            text.Append(name).Append(": ").Append(value).Append(Crlf);
        }

        text.Append(Crlf);
        if (response.Body.Length > 0)
        {
            text.Append(response.BodyText).Append(Crlf);
        }
    }

    private static string Reason(int status) => status switch
    {
        204 => "No Content",
        412 => "Precondition Failed",
        429 => "Too Many Requests",
        _ => ((HttpStatusCode)status).ToString() switch
        {
            var name when name.All(char.IsDigit) => "Status",
            var name => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString())),
        },
    };

    private static string? Boundary(string? contentType)
    {
        if (contentType is null || !contentType.TrimStart().StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim('"');
            }
        }

        return null;
    }

    private static List<Item> Parse(string body, string boundary, string root, IReadOnlyList<KeyValuePair<string, string>> inherited)
    {
        var items = new List<Item>();
        var partNumber = 0;
        foreach (var part in SplitParts(body, boundary, "batch"))
        {
            partNumber++;
            var (headers, content) = SplitHeaders(part);
            var type = headers.GetValueOrDefault("Content-Type") ?? string.Empty;
            if (type.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                var inner = Boundary(type) ?? throw WebApiException.BadRequest($"Part {partNumber} of the batch is a change set without a boundary.");
                var operations = new List<HttpOperation>();
                foreach (var operationPart in SplitParts(string.Join("\n", content), inner, "change set"))
                {
                    var (operationHeaders, operationContent) = SplitHeaders(operationPart);
                    operations.Add(ParseOperation(operationHeaders, operationContent, root, inherited, $"part {partNumber}"));
                }

                items.Add(new ChangeSet(operations));
            }
            else
            {
                items.Add(new Single(ParseOperation(headers, content, root, inherited, $"part {partNumber}")));
            }
        }

        return items;
    }

    private static IEnumerable<List<string>> SplitParts(string body, string boundary, string what)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        List<string>? current = null;
        var closed = false;
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed == "--" + boundary + "--")
            {
                if (current is not null)
                {
                    yield return current;
                }

                closed = true;
                current = null;
                break;
            }

            if (trimmed == "--" + boundary)
            {
                if (current is not null)
                {
                    yield return current;
                }

                current = new List<string>();
                continue;
            }

            current?.Add(line);
        }

        if (!closed)
        {
            throw WebApiException.BadRequest(current is null
                ? $"The {what} body has no part delimited by '--{boundary}'."
                : $"The {what} body does not end with the closing delimiter '--{boundary}--'.");
        }
    }

    private static (Dictionary<string, string> Headers, List<string> Content) SplitHeaders(List<string> lines)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        while (index < lines.Count && lines[index].Trim().Length == 0)
        {
            index++;
        }

        for (; index < lines.Count && lines[index].Trim().Length > 0; index++)
        {
            var colon = lines[index].IndexOf(':');
            if (colon > 0)
            {
                headers[lines[index][..colon].Trim()] = lines[index][(colon + 1)..].Trim();
            }
        }

        return (headers, lines.Skip(index + 1).ToList());
    }

    private static HttpOperation ParseOperation(Dictionary<string, string> partHeaders, List<string> content, string root, IReadOnlyList<KeyValuePair<string, string>> inherited, string where)
    {
        var index = 0;
        while (index < content.Count && content[index].Trim().Length == 0)
        {
            index++;
        }

        if (index == content.Count)
        {
            throw WebApiException.BadRequest($"The batch {where} has no request line.");
        }

        var requestLine = content[index].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length < 2)
        {
            throw WebApiException.BadRequest($"The batch {where} has an invalid request line '{content[index].Trim()}'; expected 'METHOD URL HTTP/1.1'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        for (index++; index < content.Count && content[index].Trim().Length > 0; index++)
        {
            var colon = content[index].IndexOf(':');
            if (colon > 0)
            {
                headers.Add(new(content[index][..colon].Trim(), content[index][(colon + 1)..].Trim()));
            }
        }

        foreach (var header in inherited)
        {
            if (!headers.Any(h => h.Key.Equals(header.Key, StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(header);
            }
        }

        var body = string.Join("\n", content.Skip(index + 1)).Trim();
        var url = requestLine[1];
        var marker = url.IndexOf("/api/data/v", StringComparison.OrdinalIgnoreCase);
        if (marker >= 0)
        {
            var slash = url.IndexOf('/', marker + "/api/data/v".Length);
            url = slash < 0 ? string.Empty : url[(slash + 1)..];
        }
        else if (url.StartsWith(root, StringComparison.OrdinalIgnoreCase))
        {
            url = url[root.Length..];
        }

        url = url.TrimStart('/');
        var question = url.IndexOf('?');
        var path = question < 0 ? url : url[..question];
        var query = question < 0 ? string.Empty : url[(question + 1)..];
        var contentId = partHeaders.GetValueOrDefault("Content-ID") ?? headers.FirstOrDefault(h => h.Key.Equals("Content-ID", StringComparison.OrdinalIgnoreCase)).Value;
        return new HttpOperation(requestLine[0], path, query, headers, Encoding.UTF8.GetBytes(body)) { ContentId = contentId };
    }
}
