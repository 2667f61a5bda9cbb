using System.Net;
using System.Net.Http.Headers;

namespace PartnerGuard.Integration.Dataverse.WebApi.Batch;

/// <summary>
/// Reads a $batch response (multipart/mixed of application/http parts, change sets nested as
/// multipart/mixed; "Execute batch operations using the Web API") and matches it to the request.
/// Accepts CRLF or LF line ends and quoted or bare boundaries, as the documented examples show both.
/// </summary>
internal static class BatchResponseParser
{
    public static IReadOnlyList<BatchResponseItem> Parse(string body, string? contentType)
    {
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var boundary = BoundaryOf(contentType) ?? FirstBoundary(lines)
            ?? throw new FormatException("The $batch response has no multipart boundary.");
        var items = new List<BatchResponseItem>();
        foreach (var part in SplitParts(lines, boundary))
        {
            var (headers, content) = SplitHeaders(part);
            if (headers.TryGetValue("Content-Type", out var type) && type.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                var inner = BoundaryOf(type) ?? throw new FormatException("A change set in the $batch response has no boundary.");
                var responses = SplitParts(content, inner).Select(ParseHttpPart).ToList();
                items.Add(new BatchResponseChangeSet(responses));
            }
            else
            {
                items.Add(new BatchResponseSingle(ParseHttpPart(part)));
            }
        }

        return items;
    }

    /// <summary>
    /// Pairs each requested operation with its outcome. A change set answered by one error part failed as a
    /// whole (rolled back); operations with no part left were not executed (the batch stopped at an error).
    /// </summary>
    public static IReadOnlyList<BatchOutcome> Match(BatchRequest request, IReadOnlyList<BatchResponseItem> items)
    {
        var outcomes = new List<BatchOutcome>();
        var index = 0;
        foreach (var item in request.Items)
        {
            var response = index < items.Count ? items[index++] : null;
            switch (item)
            {
                case BatchSingle single:
                    outcomes.Add(Outcome(single.Operation, response switch
                    {
                        BatchResponseSingle s => s.Response,
                        BatchResponseChangeSet c when c.Responses.Count > 0 => c.Responses[0],
                        _ => null,
                    }));
                    break;
                case BatchChangeSet changeSet:
                    if (response is BatchResponseChangeSet set && set.Responses.Count == changeSet.Operations.Count)
                    {
                        for (var i = 0; i < changeSet.Operations.Count; i++)
                        {
                            var byId = set.Responses.FirstOrDefault(r => r.ContentId == (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                            outcomes.Add(Outcome(changeSet.Operations[i], byId ?? set.Responses[i]));
                        }
                    }
                    else
                    {
                        var failure = response switch
                        {
                            BatchResponseSingle s => s.Response,
                            BatchResponseChangeSet c => c.Responses.FirstOrDefault(r => !r.IsSuccess),
                            _ => null,
                        };
                        foreach (var operation in changeSet.Operations)
                        {
                            outcomes.Add(failure is null
                                ? new BatchOutcome(operation, BatchOutcomeKind.NotExecuted, null, null)
                                : new BatchOutcome(operation, BatchOutcomeKind.Failed, failure, failure.Error ?? DataverseErrorParser.Parse(failure.Status, failure.Body)));
                        }
                    }

                    break;
            }
        }

        return outcomes;
    }

    private static BatchOutcome Outcome(BatchOperation operation, BatchPartResponse? response) => response switch
    {
        null => new BatchOutcome(operation, BatchOutcomeKind.NotExecuted, null, null),
        { IsSuccess: true } => new BatchOutcome(operation, BatchOutcomeKind.Succeeded, response, null),
        _ => new BatchOutcome(operation, BatchOutcomeKind.Failed, response, response.Error),
    };

    private static BatchPartResponse ParseHttpPart(IReadOnlyList<string> part)
    {
        var (mimeHeaders, content) = SplitHeaders(part);
        mimeHeaders.TryGetValue("Content-ID", out var contentId);
        var i = 0;
        while (i < content.Count && content[i].Trim().Length == 0)
        {
            i++;
        }

        if (i >= content.Count)
        {
            throw new FormatException("A $batch response part has no HTTP status line.");
        }

        var statusLine = content[i].Trim().Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || !int.TryParse(statusLine[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException($"A $batch response part has a malformed status line: '{content[i].Trim()}'.");
        }

        var (headers, bodyLines) = SplitHeaders(content.Skip(i + 1).ToList(), skipLeadingBlankLines: false);
        var body = string.Join("\n", bodyLines).Trim();
        return new BatchPartResponse(contentId?.Trim(), (HttpStatusCode)status, headers, body);
    }

    private static (Dictionary<string, string> Headers, List<string> Remainder) SplitHeaders(IReadOnlyList<string> lines, bool skipLeadingBlankLines = true)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (skipLeadingBlankLines && i < lines.Count && lines[i].Trim().Length == 0)
        {
            i++;
        }

        for (; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0)
            {
                i++;
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return (headers, lines.Skip(i).ToList());
    }

    private static List<List<string>> SplitParts(IReadOnlyList<string> lines, string boundary)
    {
        var delimiter = "--" + boundary;
        var close = delimiter + "--";
        var parts = new List<List<string>>();
        List<string>? current = null;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line == close)
            {
                if (current is not null)
                {
                    parts.Add(current);
                }

                return parts;
            }

            if (line == delimiter)
            {
                if (current is not null)
                {
                    parts.Add(current);
                }

                current = [];
                continue;
            }

            current?.Add(raw);
        }

        throw new FormatException($"The multipart body never closes its boundary '{boundary}'.");
    }

    private static string? BoundaryOf(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return null;
        }

        var value = media.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value;
        return value?.Trim('"');
    }

    private static string? FirstBoundary(IEnumerable<string> lines) =>
        lines.Select(l => l.TrimEnd()).FirstOrDefault(l => l.StartsWith("--", StringComparison.Ordinal) && l.Length > 2) is { } first
            ? first[2..]
            : null;
}
