using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// The console's only door to Dataverse: the Web API over HTTP (OData 4.0). Sends the OData headers on
/// every request (webapi-notes §1.2), pages by @odata.nextLink, resolves and caches entity set and
/// lookup navigation names from EntityDefinitions, updates with If-Match: *, sends $batch and
/// UpdateMultiple, and turns error payloads into <see cref="DataverseException"/>.
/// Retries, throttling and tokens live in the handler chain built by <see cref="DataverseHttp"/>.
/// </summary>
internal sealed class DataverseWebApiClient
{
    private readonly HttpClient _http;
    private readonly WebApiOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _entitySetNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _navigationNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _updateMultipleSupport = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string> _newBatchId;

    public DataverseWebApiClient(HttpClient http, WebApiOptions options, DopHint dopHint, Func<string>? newBatchId = null)
    {
        if (http.BaseAddress is null || !http.BaseAddress.AbsolutePath.EndsWith('/'))
        {
            throw new ArgumentException("The HttpClient needs the Web API root as its BaseAddress, ending in '/'.", nameof(http));
        }

        _http = http;
        _options = options;
        DopHint = dopHint;
        _newBatchId = newBatchId ?? (() => Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture));
    }

    /// <summary>The annotation naming the table a lookup value points to (owner: systemuser or team).</summary>
    public const string LookupTableAnnotation = "Microsoft.Dynamics.CRM.lookuplogicalname";

    /// <summary>The Web API root, e.g. https://org.crm.dynamics.com/api/data/v9.2/.</summary>
    public Uri ApiRoot => _http.BaseAddress!;

    public DopHint DopHint { get; }

    /// <summary>How many requests to run in parallel now: the server's hint, bounded by the option.</summary>
    public int Parallelism => DopHint.Effective(_options.MaxDegreeOfParallelism);

    /// <summary>Calls WhoAmI: proves the connection and the token, and primes the DOP hint.</summary>
    public async Task<WhoAmI> WhoAmIAsync(CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync("WhoAmI", cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        return new WhoAmI(
            root.GetProperty("UserId").GetGuid(),
            root.GetProperty("BusinessUnitId").GetGuid(),
            root.GetProperty("OrganizationId").GetGuid());
    }

    /// <summary>
    /// The longest URL Dataverse accepts on a request line, 32,768 characters; a request sent inside a $batch body
    /// may have a URL of up to 65,536. Source: "Compose HTTP requests and handle errors", Maximum URL length
    /// (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors), which
    /// names long FetchXML GETs as the case for sending the GET inside $batch.
    /// </summary>
    public const int MaxUrlLength = 32_768;

    /// <inheritdoc cref="MaxUrlLength"/>
    public const int MaxBatchedUrlLength = 65_536;

    /// <summary>
    /// Streams the rows of a query page by page, following @odata.nextLink unchanged and sending the same
    /// odata.maxpagesize on every page (webapi-notes §1.4). Only one page is held at a time; each row is
    /// mapped before the page is released, so memory stays flat however many rows there are. A page whose URL is
    /// longer than <see cref="MaxUrlLength"/> is sent as a GET inside a $batch, transparently.
    /// </summary>
    /// <param name="query">Relative to the Web API root, e.g. "accounts?$select=name&amp;$filter=statecode eq 0".</param>
    /// <param name="map">Turns a row into the caller's type; the JsonElement is only valid during the call.</param>
    /// <param name="annotations">Optional annotations to ask for (Prefer: odata.include-annotations), e.g. <see cref="LookupTableAnnotation"/>.</param>
    public async IAsyncEnumerable<T> QueryAsync<T>(string query, Func<JsonElement, T> map, [EnumeratorCancellation] CancellationToken cancellationToken, string? annotations = null)
    {
        var prefer = $"odata.maxpagesize={_options.MaxPageSize.ToString(CultureInfo.InvariantCulture)}";
        if (annotations is not null)
        {
            prefer += $",odata.include-annotations=\"{annotations}\"";
        }

        string? next = query;
        while (next is not null)
        {
            using var page = await GetPageAsync(next, prefer, cancellationToken).ConfigureAwait(false);
            if (!page.RootElement.TryGetProperty("value", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new DataverseException(new DataverseError(HttpStatusCode.OK, string.Empty, $"The response to '{Describe(next)}' has no 'value' array."));
            }

            foreach (var row in rows.EnumerateArray())
            {
                yield return map(row);
            }

            next = page.RootElement.TryGetProperty("@odata.nextLink", out var link) && link.ValueKind == JsonValueKind.String
                ? link.GetString()
                : null;
        }
    }

    /// <summary>
    /// One page of a query whose paging the caller drives (FetchXML with the paging cookie): sends
    /// <paramref name="prefer"/> and hands the parsed page's root to <paramref name="read"/> (valid during the call).
    /// A URL longer than <see cref="MaxUrlLength"/> (a long fetchXml=) goes as a GET inside a $batch.
    /// </summary>
    public async Task<T> QueryPageAsync<T>(string query, string prefer, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        using var page = await GetPageAsync(query, prefer, cancellationToken).ConfigureAwait(false);
        return read(page.RootElement);
    }

    /// <summary>
    /// The entity set name of a table ("account" → "accounts"), from EntityDefinitions. Asked once per client: the
    /// lookup in flight is shared, so parallel callers that all miss the cache still cause one request.
    /// </summary>
    public Task<string> GetEntitySetNameAsync(string logicalName, CancellationToken cancellationToken) =>
        OnceAsync(_entitySetNames, logicalName, async token =>
        {
            using var document = await GetJsonAsync(
                $"EntityDefinitions(LogicalName='{Escape(logicalName)}')?$select=LogicalName,EntitySetName",
                token).ConfigureAwait(false);
            var name = document.RootElement.TryGetProperty("EntitySetName", out var set) ? set.GetString() : null;
            return string.IsNullOrEmpty(name)
                ? throw new DataverseException(new DataverseError(HttpStatusCode.NotFound, string.Empty, $"Dataverse returned no entity set name for table '{logicalName}'."))
                : name;
        }, cancellationToken);

    /// <summary>
    /// The single-valued navigation property of a lookup column, for "@odata.bind". For custom lookups this is
    /// the schema name (pg_AssignedPartnerId), case-sensitive, not the logical name (webapi-notes §2.1).
    /// Read from the table's ManyToOneRelationships (ReferencingEntityNavigationPropertyName), once per client.
    /// </summary>
    /// <param name="logicalName">The table holding the lookup, e.g. "account".</param>
    /// <param name="lookupColumn">The lookup's logical name, e.g. "pg_assignedpartnerid".</param>
    /// <param name="targetTable">For polymorphic lookups (ownerid), the table the value points to; else null.</param>
    public Task<string> GetLookupNavigationNameAsync(string logicalName, string lookupColumn, string? targetTable, CancellationToken cancellationToken) =>
        OnceAsync(_navigationNames, $"{logicalName}.{lookupColumn}.{targetTable}", async token =>
        {
            var filter = $"ReferencingAttribute eq '{Escape(lookupColumn)}'";
            if (targetTable is not null)
            {
                filter += $" and ReferencedEntity eq '{Escape(targetTable)}'";
            }

            using var document = await GetJsonAsync(
                $"EntityDefinitions(LogicalName='{Escape(logicalName)}')/ManyToOneRelationships?$select=ReferencingAttribute,ReferencedEntity,ReferencingEntityNavigationPropertyName&$filter={Uri.EscapeDataString(filter)}",
                token).ConfigureAwait(false);
            var name = document.RootElement.GetProperty("value").EnumerateArray()
                .Select(r => r.TryGetProperty("ReferencingEntityNavigationPropertyName", out var n) ? n.GetString() : null)
                .FirstOrDefault(n => !string.IsNullOrEmpty(n));
            return name ?? throw new DataverseException(new DataverseError(
                HttpStatusCode.NotFound,
                string.Empty,
                $"Table '{logicalName}' has no lookup column '{lookupColumn}'{(targetTable is null ? string.Empty : $" to '{targetTable}'")}. Is the PartnerGuard solution imported?"));
        }, cancellationToken);

    /// <summary>
    /// Whether the table supports the UpdateMultiple message: one sdkmessagefilter row for it means yes
    /// (webapi-notes §3.2, the probe bulk tools use). Asked once per table and client.
    /// </summary>
    public Task<bool> SupportsUpdateMultipleAsync(string logicalName, CancellationToken cancellationToken) =>
        OnceAsync(_updateMultipleSupport, logicalName, async token =>
        {
            var filter = $"sdkmessageid/name eq 'UpdateMultiple' and primaryobjecttypecode eq '{Escape(logicalName)}'";
            using var document = await GetJsonAsync(
                $"sdkmessagefilters?$select=sdkmessagefilterid&$filter={Uri.EscapeDataString(filter)}&$top=1",
                token).ConfigureAwait(false);
            return document.RootElement.GetProperty("value").GetArrayLength() > 0;
        }, cancellationToken);

    /// <summary>
    /// Updates one row with PATCH and If-Match: *, so a missing row gives 404 instead of being created
    /// (a plain PATCH is an upsert; webapi-notes §2.3).
    /// </summary>
    public async Task UpdateAsync(string entitySetName, Guid id, JsonObject changes, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Patch, WithTag($"{entitySetName}({id:D})"));
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        request.Content = JsonContent(changes);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates or updates a row with a known id (PATCH without If-Match is an upsert; webapi-notes §2.3).
    /// Only for rows the console owns, such as its run summary; accounts are always updated with If-Match: *.
    /// </summary>
    public async Task UpsertAsync(string entitySetName, Guid id, JsonObject values, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Patch, WithTag($"{entitySetName}({id:D})"));
        request.Content = JsonContent(values);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one row's columns; null when the row does not exist.</summary>
    public async Task<JsonObject?> RetrieveAsync(string entitySetName, Guid id, string select, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, $"{entitySetName}({id:D})?$select={select}");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(text)?.AsObject();
    }

    /// <summary>
    /// Calls an unbound Web API function (a GET, e.g. "pg_CheckChannel(Customer=@p1)?@p1=…" with its parameter
    /// aliases already URL-encoded) and returns its response properties. A function writes nothing, so this is
    /// safe to retry; an error answer comes back as a <see cref="DataverseException"/>.
    /// </summary>
    public async Task<JsonObject> CallFunctionAsync(string call, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, call);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(text) as JsonObject
            ?? throw new DataverseException(new DataverseError(HttpStatusCode.OK, string.Empty, $"The function call '{Describe(call)}' answered without a JSON object."));
    }

    /// <summary>
    /// Sends UpdateMultiple: POST {entityset}/Microsoft.Dynamics.CRM.UpdateMultiple with Targets, each carrying
    /// @odata.type and its primary key (webapi-notes §3.2). On standard tables it is one transaction: any
    /// error fails every target, and the error comes back as a <see cref="DataverseException"/>.
    /// </summary>
    /// <param name="resendAfterUnknownOutcome">
    /// False when the caller re-reads the targets after a failure whose outcome is unknown (a lost answer, a 5xx) and
    /// sends again only what is missing: the request is then retried only when it surely did not run (429, no connection).
    /// </param>
    public async Task UpdateMultipleAsync(string logicalName, string entitySetName, string primaryKey, IReadOnlyList<(Guid Id, JsonObject Changes)> targets, CancellationToken cancellationToken, bool resendAfterUnknownOutcome = true)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var array = new JsonArray();
        foreach (var (id, changes) in targets)
        {
            var target = new JsonObject
            {
                ["@odata.type"] = $"Microsoft.Dynamics.CRM.{logicalName}",
                [primaryKey] = id.ToString("D", CultureInfo.InvariantCulture),
            };
            foreach (var (name, value) in changes)
            {
                target[name] = value?.DeepClone();
            }

            array.Add(target);
        }

        using var request = NewRequest(HttpMethod.Post, WithTag($"{entitySetName}/Microsoft.Dynamics.CRM.UpdateMultiple"));
        if (!resendAfterUnknownOutcome)
        {
            DataverseResilience.DoNotResendAfterUnknownOutcome(request);
        }

        request.Content = JsonContent(new JsonObject { ["Targets"] = array });
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a $batch and returns one outcome per requested operation, in request order. With
    /// continue-on-error the batch answers 200 and each part carries its own status; without it, the batch
    /// stops at the first error and the later operations are reported as not executed.
    /// </summary>
    /// <param name="resendAfterUnknownOutcome">As for <see cref="UpdateMultipleAsync"/>.</param>
    public async Task<IReadOnlyList<BatchOutcome>> ExecuteBatchAsync(BatchRequest batch, CancellationToken cancellationToken, bool resendAfterUnknownOutcome = true)
    {
        var (body, contentType) = BatchWriter.Write(batch, ApiRoot, _newBatchId());
        using var request = NewRequest(HttpMethod.Post, "$batch");
        if (!resendAfterUnknownOutcome)
        {
            DataverseResilience.DoNotResendAfterUnknownOutcome(request);
        }

        if (batch.ContinueOnError)
        {
            request.Headers.Add("Prefer", "odata.continue-on-error");
        }

        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var responseType = response.Content.Headers.ContentType?.ToString();
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (responseType is null || !responseType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            // The batch as a whole was refused (bad request, auth, throttling after retries).
            throw new DataverseException(DataverseErrorParser.Parse(response.StatusCode, text));
        }

        return BatchResponseParser.Match(batch, BatchResponseParser.Parse(text, responseType));
    }

    /// <summary>
    /// Metadata asked once per client: the first caller's lookup is cached as a task, so callers that arrive while
    /// it is in flight await the same request instead of sending their own. The lookup itself runs without the
    /// callers' cancellation (one caller giving up must not fail the others; the retry budget still bounds it), and
    /// each caller stops waiting on its own token. A failed lookup is forgotten, so the next caller asks again.
    /// </summary>
    private static async Task<T> OnceAsync<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string key, Func<CancellationToken, Task<T>> fetch, CancellationToken cancellationToken)
    {
        var entry = cache.GetOrAdd(key, _ => new Lazy<Task<T>>(() => fetch(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            cache.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>
    /// GETs one page: directly when its URL fits <see cref="MaxUrlLength"/>, else as the only operation of a $batch
    /// (whose part URLs may reach <see cref="MaxBatchedUrlLength"/>), with the same Prefer header either way.
    /// </summary>
    private async Task<JsonDocument> GetPageAsync(string relativeOrAbsolute, string prefer, CancellationToken cancellationToken)
    {
        var url = new Uri(ApiRoot, relativeOrAbsolute).AbsoluteUri;
        if (url.Length <= MaxUrlLength)
        {
            using var request = NewRequest(HttpMethod.Get, relativeOrAbsolute);
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
            using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (url.Length > MaxBatchedUrlLength)
        {
            throw new DataverseException(new DataverseError(HttpStatusCode.RequestUriTooLong, string.Empty,
                $"The query's URL is {url.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; Dataverse accepts at most {MaxBatchedUrlLength.ToString("N0", CultureInfo.InvariantCulture)} even inside $batch. Narrow the query: '{Describe(relativeOrAbsolute)}'."));
        }

        var batch = new BatchRequest(
            [new BatchSingle(new BatchOperation(HttpMethod.Get, url, Headers: [new("Accept", "application/json"), new("Prefer", prefer)]))],
            ContinueOnError: false);
        var outcome = (await ExecuteBatchAsync(batch, cancellationToken).ConfigureAwait(false))[0];
        if (outcome is not { Kind: BatchOutcomeKind.Succeeded, Response: { } part })
        {
            throw new DataverseException(outcome.Error ?? new DataverseError(HttpStatusCode.BadGateway, string.Empty,
                $"The $batch carrying the long query '{Describe(relativeOrAbsolute)}' came back without its answer."));
        }

        return JsonDocument.Parse(part.Body);
    }

    private async Task<JsonDocument> GetJsonAsync(string relative, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, relative);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new DataverseException(await DataverseErrorParser.ReadAsync(response, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>A request with the headers Dataverse asks for on every call (webapi-notes §1.2).</summary>
    private static HttpRequestMessage NewRequest(HttpMethod method, string relativeOrAbsolute)
    {
        var request = new HttpRequestMessage(method, new Uri(relativeOrAbsolute, UriKind.RelativeOrAbsolute));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
        request.Headers.TryAddWithoutValidation("If-None-Match", "null");
        return request;
    }

    private string WithTag(string relative) =>
        _options.Tag is { Length: > 0 } tag ? $"{relative}?tag={Uri.EscapeDataString(tag)}" : relative;

    private static StringContent JsonContent(JsonObject body) =>
        new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static string Describe(string url) => url.Length > 120 ? url[..120] + "…" : url;
}

/// <summary>The caller's identity as WhoAmI reports it.</summary>
internal sealed record WhoAmI(Guid UserId, Guid BusinessUnitId, Guid OrganizationId);
