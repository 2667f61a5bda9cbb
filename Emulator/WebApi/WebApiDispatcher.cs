using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>A write translated into an organization request, with the way to answer it once it has run.</summary>
internal sealed class WritePlan
{
    public required OrganizationRequest Request { get; init; }

    public required Func<OrganizationResponse, WebApiResponse> Respond { get; init; }

    /// <summary>The URL (relative to the root) of the record the operation addresses, for Content-ID references.</summary>
    public string? EntityPath { get; init; }

    public bool Bypass { get; init; }

    /// <summary>How many operations the request stands for (targets of a bulk action).</summary>
    public int Operations { get; init; } = 1;
}

/// <summary>
/// Routes one operation to the org: entity sets (GET/POST), single rows (GET/PATCH/DELETE), bound bulk actions,
/// WhoAmI, EntityDefinitions and $metadata. Writes become <see cref="WritePlan"/>s so that a change set can run
/// them in one transaction.
/// </summary>
internal sealed partial class WebApiDispatcher
{
    private const string PrivilegeBypassCustomPlugins = "prvBypassCustomPlugins (Id=148a9eaf-d0c4-4196-9852-c3a38e35f6a1)";
    private readonly DataverseOrg _org;

    public WebApiDispatcher(DataverseOrg org)
    {
        _org = org;
    }

    /// <summary>Runs one operation (outside a change set) and answers it.</summary>
    public WebApiResponse Handle(CallContext context, HttpOperation operation)
    {
        try
        {
            if (operation.Method == "GET")
            {
                context.Operations++;
                return Read(context, operation);
            }

            var plan = PlanWrite(context, operation, contentIds: null);
            context.Operations += plan.Operations;
            var response = Execute(context, plan.Request, plan.Bypass);
            return plan.Respond(response);
        }
        catch (WebApiException ex)
        {
            return Error(ex, operation);
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            return Error(WebApiException.FromFault(fault), operation);
        }
    }

    /// <summary>Runs a request this front built for the one call (from the URL and JSON); the org takes it over without copying.</summary>
    public OrganizationResponse Execute(CallContext context, OrganizationRequest request, bool bypass)
        => _org.ExecuteOwned(request, new RequestOptions { UserId = context.UserId, BypassCustomPluginExecution = bypass });

    public static WebApiResponse Error(WebApiException error, HttpOperation? operation)
    {
        var prefer = operation is null ? null : SafePrefer(operation);
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            if (error.Fault is { } fault && prefer is not null)
            {
                foreach (var (name, value) in ErrorDetails(fault))
                {
                    var annotation = "Microsoft.PowerApps.CDS.ErrorDetails." + name;
                    if (prefer.Includes(annotation))
                    {
                        w.WritePropertyName("@" + annotation);
                        EntityJsonWriter.WritePrimitive(w, value);
                    }
                }

                if (prefer.Includes("Microsoft.PowerApps.CDS.HelpLink"))
                {
                    w.WriteString("@Microsoft.PowerApps.CDS.HelpLink",
                        $"http://go.microsoft.com/fwlink/?LinkID=398563&error=Microsoft.Crm.CrmException%3a{error.Code[2..]}&client=platform");
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        var response = WebApiResponse.Json(error.Status, buffer.ToArray());
        return response;
    }

    private static IEnumerable<(string Name, object? Value)> ErrorDetails(OrganizationServiceFault fault)
    {
        foreach (var pair in fault.ErrorDetails)
        {
            if (pair.Value is null or string or int or long or bool or Guid or decimal or double)
            {
                yield return (pair.Key, pair.Value);
            }
        }
    }

    private static Prefer? SafePrefer(HttpOperation operation)
    {
        try
        {
            return Prefer.Parse(operation.HeaderValues("Prefer"));
        }
        catch (WebApiException)
        {
            return null;
        }
    }

    // ---------------------------------------------------------------- routing

    [GeneratedRegex(@"^(?<segment>[A-Za-z0-9_.$]+)(\((?<key>[^)]*)\))?(/(?<rest>.*))?$")]
    private static partial Regex PathPattern();

    private static (string Segment, string? Key, string? Tail) Split(string path)
    {
        var decoded = Uri.UnescapeDataString(path).Trim('/');
        var match = PathPattern().Match(decoded);
        if (!match.Success)
        {
            throw WebApiException.NotFoundSegment(decoded);
        }

        return (match.Groups["segment"].Value,
            match.Groups["key"].Success ? match.Groups["key"].Value : null,
            match.Groups["rest"].Success ? match.Groups["rest"].Value : null);
    }

    private static Guid KeyOf(WebApiTable table, string key)
    {
        if (Guid.TryParse(key, out var id))
        {
            return id;
        }

        throw WebApiException.BadRequest(
            $"The key '{key}' of '{table.EntitySetName}' is not a GUID; alternate keys are not supported by the PartnerGuard emulator.");
    }

    private static WebApiTable TableOf(CallContext context, string segment) => context.Model.FindBySet(segment) ?? throw WebApiException.NotFoundSegment(segment);

    private WebApiResponse Read(CallContext context, HttpOperation operation)
    {
        var (segment, key, rest) = Split(operation.Path);
        switch (segment)
        {
            case "$metadata":
                return new WebApiResponse(200, Encoding.UTF8.GetBytes(MetadataEndpoints.Csdl(context.Model)), "application/xml");
            case "WhoAmI" or "WhoAmI()":
                return WhoAmI(context);
            case "EntityDefinitions":
                return MetadataEndpoints.EntityDefinitions(context.Model, context, key, rest, operation.QueryOptions());
            case "sdkmessagefilters" when context.Model.SdkMessageFilterSet is not null:
                return MetadataEndpoints.SdkMessageFilters(context.Model, context, operation.QueryOptions());
        }

        var table = TableOf(context, segment);
        if (key is not null)
        {
            if (rest is not null)
            {
                throw WebApiException.NotFoundSegment(rest);
            }

            return RetrieveOne(context, operation, table, KeyOf(table, key));
        }

        if (rest == "$count")
        {
            var query = new QueryExpression(table.Table.LogicalName) { ColumnSet = new ColumnSet(false), PageInfo = new PagingInfo { ReturnTotalRecordCount = true, Count = 1, PageNumber = 1 } };
            var result = RetrieveMultiple(context, query);
            return new WebApiResponse(200, Encoding.UTF8.GetBytes(result.TotalRecordCount.ToString(CultureInfo.InvariantCulture)), "text/plain");
        }

        if (rest is not null)
        {
            throw WebApiException.NotFoundSegment(rest);
        }

        var options = operation.QueryOptions();
        return options.ContainsKey("fetchXml")
            ? FetchXmlQuery(context, operation, table, options)
            : ODataQuery(context, operation, table, options);
    }

    private WebApiResponse WhoAmI(CallContext context)
    {
        var result = Execute(context, new OrganizationRequest("WhoAmI"), bypass: false);
        return JsonBody(200, w =>
        {
            w.WriteString("@odata.context", context.Root + "$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
            w.WriteString("BusinessUnitId", ((Guid)result.Results["BusinessUnitId"]).ToString("D"));
            w.WriteString("UserId", ((Guid)result.Results["UserId"]).ToString("D"));
            w.WriteString("OrganizationId", ((Guid)result.Results["OrganizationId"]).ToString("D"));
        });
    }

    private EntityCollection RetrieveMultiple(CallContext context, QueryBase query)
    {
        var request = new OrganizationRequest("RetrieveMultiple") { ["Query"] = query };
        return (EntityCollection)Execute(context, request, bypass: false).Results["EntityCollection"];
    }

    // ---------------------------------------------------------------- reads

    private WebApiResponse RetrieveOne(CallContext context, HttpOperation operation, WebApiTable table, Guid id)
    {
        var prefer = Prefer.Parse(operation.HeaderValues("Prefer"));
        var options = operation.QueryOptions();
        var parsed = ODataQueryTranslator.Parse(context.Model, table, options.Where(o => o.Key is "$select" or "$expand").ToDictionary(o => o.Key, o => o.Value));
        foreach (var option in options.Keys.Where(k => k is "$filter" or "$orderby" or "$top"))
        {
            throw WebApiException.BadRequest($"The query option {option} cannot be used when retrieving a single record.");
        }

        var request = new OrganizationRequest("Retrieve")
        {
            ["Target"] = new EntityReference(table.Table.LogicalName, id),
            ["ColumnSet"] = parsed.Columns,
        };
        var entity = (Entity)Execute(context, request, bypass: false).Results["Entity"];
        var etag = EntityJsonWriter.Etag(entity.RowVersion ?? "0");
        if (!prefer.HasAnnotations && operation.Header("If-None-Match") is { } noneMatch && noneMatch.Trim() == etag)
        {
            // "Limit retrieval to changed records": 304 when the row version still matches.
            return new WebApiResponse(304).With("ETag", etag);
        }

        var writer = new EntityJsonWriter(_org, prefer);
        var expanded = ExpandedRows.Load(context.Model, parsed.Expansions, new[] { entity }, q => RetrieveMultiple(context, q));
        return JsonBody(200, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}{SelectSuffix(options)}/$entity");
            writer.WriteProperties(w, table, entity, parsed.SelectedProperties, omitNulls: false);
            expanded.Write(w, writer, entity);
        }).With("ETag", etag);
    }

    private static string SelectSuffix(IReadOnlyDictionary<string, string> options)
        => options.TryGetValue("$select", out var select) && select.Length > 0 ? $"({select})" : string.Empty;

    private WebApiResponse ODataQuery(CallContext context, HttpOperation operation, WebApiTable table, Dictionary<string, string> options)
    {
        var prefer = Prefer.Parse(operation.HeaderValues("Prefer"));
        var parsed = ODataQueryTranslator.Parse(context.Model, table, options);
        var query = new QueryExpression(table.Table.LogicalName) { ColumnSet = parsed.Columns };
        if (parsed.Criteria is not null)
        {
            query.Criteria = parsed.Criteria;
        }

        foreach (var order in parsed.Orders)
        {
            query.Orders.Add(order);
        }

        // "Page results": odata.maxpagesize up to 5,000 (larger values are ignored); no preference: 5,000.
        var pageSize = prefer.MaxPageSize is int size && size <= 5000 ? size : 5000;
        var page = 1;
        if (parsed.Top is int top)
        {
            query.TopCount = top;
        }
        else
        {
            string? cookie = null;
            if (options.TryGetValue("$skiptoken", out var token))
            {
                (page, cookie) = ParseSkipToken(token);
            }

            query.PageInfo = new PagingInfo { Count = pageSize, PageNumber = page, PagingCookie = cookie, ReturnTotalRecordCount = parsed.Count };
        }

        var result = RetrieveMultiple(context, query);
        var writer = new EntityJsonWriter(_org, prefer);
        var expanded = ExpandedRows.Load(context.Model, parsed.Expansions, result.Entities, q => RetrieveMultiple(context, q));
        var response = JsonBody(200, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}{SelectSuffix(options)}");
            if (parsed.Count)
            {
                var count = result.TotalRecordCount >= 0 ? result.TotalRecordCount : result.Entities.Count;
                w.WriteNumber("@odata.count", count);
                if (prefer.Includes(Prefer.TotalRecordCount))
                {
                    w.WriteNumber("@" + Prefer.TotalRecordCount, count);
                }

                if (prefer.Includes(Prefer.TotalRecordCountLimitExceeded))
                {
                    w.WriteBoolean("@" + Prefer.TotalRecordCountLimitExceeded, result.TotalRecordCountLimitExceeded);
                }
            }

            w.WriteStartArray("value");
            foreach (var entity in result.Entities)
            {
                w.WriteStartObject();
                writer.WriteProperties(w, table, entity, parsed.SelectedProperties, omitNulls: false);
                expanded.Write(w, writer, entity);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (parsed.Top is null && result.MoreRecords && result.PagingCookie is { } nextCookie)
            {
                w.WriteString("@odata.nextLink", NextLink(context, operation, page + 1, nextCookie));
            }
        });
        if (prefer.MaxPageSize is int applied && applied <= 5000)
        {
            response.With("Preference-Applied", $"odata.maxpagesize={applied.ToString(CultureInfo.InvariantCulture)}");
        }

        return response;
    }

    /// <summary>
    /// The next page's link: the same query with a <c>$skiptoken</c> holding a cookie in Dataverse's form
    /// (<c>&lt;cookie pagenumber="2" pagingcookie="…" istracking="False" /&gt;</c>); the engine's paging cookie keys
    /// the next page on the last row's sort key, so rows are neither skipped nor repeated.
    /// </summary>
    private static string NextLink(CallContext context, HttpOperation operation, int nextPage, string pagingCookie)
    {
        var token = CookieElement(nextPage, pagingCookie);
        var pairs = HttpOperation.RawQueryPairs(operation.Query)
            .Where(p => Uri.UnescapeDataString(p.Name) != "$skiptoken")
            .Select(p => p.Value.Length == 0 && !operation.Query.Contains(p.Name + "=", StringComparison.Ordinal) ? p.Name : $"{p.Name}={p.Value}")
            .Append("$skiptoken=" + Uri.EscapeDataString(token));
        return $"{context.Root}{operation.Path}?{string.Join("&", pairs)}";
    }

    private static string CookieElement(int page, string pagingCookie)
        => new XElement("cookie",
            new XAttribute("pagenumber", page.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("pagingcookie", Uri.EscapeDataString(Uri.EscapeDataString(pagingCookie))),
            new XAttribute("istracking", "False")).ToString(SaveOptions.DisableFormatting);

    private static (int Page, string Cookie) ParseSkipToken(string token)
    {
        try
        {
            var cookie = XElement.Parse(token);
            var page = int.Parse(cookie.Attribute("pagenumber")?.Value ?? string.Empty, NumberStyles.None, CultureInfo.InvariantCulture);
            var inner = Uri.UnescapeDataString(Uri.UnescapeDataString(cookie.Attribute("pagingcookie")?.Value ?? string.Empty));
            if (page < 2 || inner.Length == 0)
            {
                throw new FormatException("pagenumber must be 2 or more and pagingcookie must be present");
            }

            return (page, inner);
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or FormatException or OverflowException)
        {
            throw WebApiException.BadRequest($"The $skiptoken is not valid ({ex.Message}); follow @odata.nextLink unchanged.");
        }
    }

    private WebApiResponse FetchXmlQuery(CallContext context, HttpOperation operation, WebApiTable table, Dictionary<string, string> options)
    {
        var prefer = Prefer.Parse(operation.HeaderValues("Prefer"));
        var fetchXml = options["fetchXml"];
        XElement fetch;
        try
        {
            fetch = XElement.Parse(fetchXml);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new WebApiException(400, WebApiException.Hex(OrgErrorCodes.InvalidFetchXml), $"The fetchXml parameter is not well-formed XML: {ex.Message}");
        }

        var entityName = fetch.Element("entity")?.Attribute("name")?.Value;
        if (!string.Equals(entityName, table.Table.LogicalName, StringComparison.Ordinal))
        {
            // "Use FetchXml to query data": the entity set in the URL must match the fetch's entity.
            throw WebApiException.BadRequest(
                $"The entity set '{table.EntitySetName}' does not match the fetchXml entity '{entityName}': query /{context.Model.FindByLogicalName(entityName ?? string.Empty)?.EntitySetName ?? "{entity set}"} instead.");
        }

        var page = int.TryParse(fetch.Attribute("page")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
        var result = RetrieveMultiple(context, new FetchExpression(fetchXml));
        var writer = new EntityJsonWriter(_org, prefer);
        return JsonBody(200, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}");
            if (result.TotalRecordCount >= 0 && prefer.Includes(Prefer.TotalRecordCount))
            {
                w.WriteNumber("@" + Prefer.TotalRecordCount, result.TotalRecordCount);
                if (prefer.Includes(Prefer.TotalRecordCountLimitExceeded))
                {
                    w.WriteBoolean("@" + Prefer.TotalRecordCountLimitExceeded, result.TotalRecordCountLimitExceeded);
                }
            }

            if (result.MoreRecords && result.PagingCookie is { } cookie && prefer.Includes(Prefer.FetchXmlPagingCookie))
            {
                w.WriteString("@" + Prefer.FetchXmlPagingCookie, CookieElement(page + 1, cookie));
            }

            if (result.MoreRecords && prefer.Includes(Prefer.MoreRecords))
            {
                w.WriteBoolean("@" + Prefer.MoreRecords, true);
            }

            w.WriteStartArray("value");
            foreach (var entity in result.Entities)
            {
                // FetchXML results leave out null columns ("Use FetchXml to query data").
                writer.Write(w, table, entity, selected: null, omitNulls: true);
            }

            w.WriteEndArray();
        });
    }

    // ---------------------------------------------------------------- writes

    /// <summary>Translates a POST/PATCH/DELETE into an organization request. <paramref name="contentIds"/>: Content-ID → entity path, inside a change set.</summary>
    public WritePlan PlanWrite(CallContext context, HttpOperation operation, Dictionary<string, string>? contentIds)
    {
        var path = operation.Path;
        if (path.StartsWith('$') && contentIds is not null)
        {
            // A change-set operation may address a record created earlier in the set: "$1" or "$1/...".
            var end = path.IndexOfAny(new[] { '/', '?' });
            var id = end < 0 ? path[1..] : path[1..end];
            if (!contentIds.TryGetValue(id, out var resolved))
            {
                throw WebApiException.BadRequest($"The Content-ID reference '${id}' does not name an earlier operation of this change set.");
            }

            path = resolved + (end < 0 ? string.Empty : path[end..]);
        }

        var bypass = Bypass(context, operation);
        var prefer = Prefer.Parse(operation.HeaderValues("Prefer"));
        var (segment, key, rest) = Split(path);
        var table = TableOf(context, segment);
        var reader = new EntityJsonReader(context.Model, contentIds);
        switch (operation.Method)
        {
            case "POST" when key is null && rest is null:
                return PlanCreate(context, operation, table, reader, prefer, bypass);
            case "POST" when key is null && rest is "Microsoft.Dynamics.CRM.UpdateMultiple" or "Microsoft.Dynamics.CRM.CreateMultiple":
                return PlanBulk(context, operation, table, reader, rest, bypass);
            case "PATCH" when key is not null && rest is null:
                return PlanPatch(context, operation, table, KeyOf(table, key), reader, prefer, bypass);
            case "DELETE" when key is not null && rest is null:
                return PlanDelete(context, operation, table, KeyOf(table, key), bypass);
            case "POST" or "PATCH" or "DELETE" when rest is not null && !rest.StartsWith("Microsoft.Dynamics.CRM.", StringComparison.Ordinal):
                throw WebApiException.NotFoundSegment(rest);
            case "POST" when rest is not null:
                throw WebApiException.BadRequest($"The action '{rest}' is not supported by the PartnerGuard emulator (supported: Microsoft.Dynamics.CRM.CreateMultiple, Microsoft.Dynamics.CRM.UpdateMultiple).");
            default:
                throw new WebApiException(405, WebApiException.ODataCode, $"The HTTP method '{operation.Method}' is not allowed on '{path}'.");
        }
    }

    private bool Bypass(CallContext context, HttpOperation operation)
    {
        var custom = operation.Header("MSCRM.BypassCustomPluginExecution");
        var logic = operation.Header("MSCRM.BypassBusinessLogicExecution");
        var wanted = (custom is not null && custom.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            || (logic is not null && logic.Split(',', StringSplitOptions.TrimEntries).Any(v => v is "CustomSync" or "CustomAsync"));
        if (!wanted)
        {
            return false;
        }

        if (!context.MayBypass)
        {
            // "Bypass custom business logic": only holders of the bypass privilege may send these headers.
            throw new WebApiException(403, WebApiException.Hex(WebApiException.PrivilegeDenied),
                $"Principal user (Id={context.AuthenticatedUserId:D}, type=8) is missing {PrivilegeBypassCustomPlugins} privilege, so it cannot bypass custom business logic.");
        }

        return true;
    }

    private static JsonElement ParseBody(WebApiTable table, HttpOperation operation)
    {
        if (operation.Body.Length == 0)
        {
            throw WebApiException.Payload(table.EntitySetName, "The request body is empty; send a JSON object.");
        }

        try
        {
            using var document = JsonDocument.Parse(operation.Body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw WebApiException.Payload(table.EntitySetName, $"The request body is not valid JSON: {ex.Message}");
        }
    }

    private WritePlan PlanCreate(CallContext context, HttpOperation operation, WebApiTable table, EntityJsonReader reader, Prefer prefer, bool bypass)
    {
        var entity = reader.Read(table, ParseBody(table, operation));
        if (entity.Id == Guid.Empty)
        {
            // Ids are assigned here so that a change set can refer to the new row by Content-ID before it runs.
            entity.Id = Guid.NewGuid();
        }

        var path = $"{table.EntitySetName}({entity.Id:D})";
        return new WritePlan
        {
            Request = new OrganizationRequest("Create") { ["Target"] = entity },
            EntityPath = path,
            Bypass = bypass,
            Respond = response =>
            {
                var id = (Guid)response.Results["id"];
                var entityId = $"{context.Root}{table.EntitySetName}({id:D})";
                if (prefer.ReturnRepresentation)
                {
                    return Representation(context, operation, table, id, prefer, 201).With("OData-EntityId", entityId).With("Preference-Applied", "return=representation");
                }

                return new WebApiResponse(204).With("OData-EntityId", entityId);
            },
        };
    }

    private WritePlan PlanPatch(CallContext context, HttpOperation operation, WebApiTable table, Guid id, EntityJsonReader reader, Prefer prefer, bool bypass)
    {
        var entity = reader.Read(table, ParseBody(table, operation));
        if (entity.Id != Guid.Empty && entity.Id != id)
        {
            throw WebApiException.Payload(table.EntitySetName, $"The body's {table.Table.PrimaryIdColumn} ({entity.Id:D}) differs from the key in the URL ({id:D}).");
        }

        entity.Id = id;
        entity.Attributes.Remove(table.Table.PrimaryIdColumn);
        var ifMatch = operation.Header("If-Match")?.Trim();
        var ifNoneMatch = operation.Header("If-None-Match")?.Trim();
        OrganizationRequest request;
        if (ifMatch == "*")
        {
            // "Prevent create in upsert": If-Match: * updates only; a missing row is 404.
            request = new OrganizationRequest("Update") { ["Target"] = entity };
        }
        else if (ifMatch is not null)
        {
            // "Apply optimistic concurrency": the row version must match, else 412.
            entity.RowVersion = ParseEtag(ifMatch);
            request = new OrganizationRequest("Update") { ["Target"] = entity, ["ConcurrencyBehavior"] = ConcurrencyBehavior.IfRowVersionMatches };
        }
        else if (ifNoneMatch == "*")
        {
            // "Prevent update in upsert": If-None-Match: * creates only; an existing row is 412.
            request = new OrganizationRequest("Create") { ["Target"] = entity };
        }
        else
        {
            request = new OrganizationRequest("Upsert") { ["Target"] = entity };
        }

        var path = $"{table.EntitySetName}({id:D})";
        return new WritePlan
        {
            Request = request,
            EntityPath = path,
            Bypass = bypass,
            Respond = _ =>
            {
                var entityId = context.Root + path;
                if (prefer.ReturnRepresentation)
                {
                    return Representation(context, operation, table, id, prefer, 200).With("OData-EntityId", entityId).With("Preference-Applied", "return=representation");
                }

                return new WebApiResponse(204).With("OData-EntityId", entityId);
            },
        };
    }

    private static string ParseEtag(string value)
    {
        var text = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        text = text.Trim('"');
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw WebApiException.BadRequest($"The If-Match value '{value}' is not an ETag returned by this service (expected W/\"<version>\" or *).");
        }

        return text;
    }

    private WritePlan PlanDelete(CallContext context, HttpOperation operation, WebApiTable table, Guid id, bool bypass)
    {
        var target = new EntityReference(table.Table.LogicalName, id);
        var request = new OrganizationRequest("Delete") { ["Target"] = target };
        if (operation.Header("If-Match")?.Trim() is { } ifMatch && ifMatch != "*")
        {
            target.RowVersion = ParseEtag(ifMatch);
            request["ConcurrencyBehavior"] = ConcurrencyBehavior.IfRowVersionMatches;
        }

        return new WritePlan
        {
            Request = request,
            EntityPath = $"{table.EntitySetName}({id:D})",
            Bypass = bypass,
            Respond = _ => new WebApiResponse(204),
        };
    }

    private WritePlan PlanBulk(CallContext context, HttpOperation operation, WebApiTable table, EntityJsonReader reader, string action, bool bypass)
    {
        // "Use bulk operation messages": POST {set}/Microsoft.Dynamics.CRM.{Create|Update}Multiple with {"Targets":[…]},
        // each target carrying "@odata.type": "Microsoft.Dynamics.CRM.{table}".
        var body = ParseBody(table, operation);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.Payload(table.EntitySetName, "The body must be {\"Targets\": [ … ]}.");
        }

        var isUpdate = action.EndsWith("UpdateMultiple", StringComparison.Ordinal);
        var collection = new EntityCollection { EntityName = table.Table.LogicalName };
        var index = 0;
        foreach (var item in targets.EnumerateArray())
        {
            Entity entity;
            try
            {
                entity = reader.Read(table, item, requireType: true);
            }
            catch (WebApiException ex)
            {
                throw new WebApiException(ex.Status, ex.Code, $"Targets[{index}]: {ex.Message}");
            }

            if (isUpdate && entity.Id == Guid.Empty)
            {
                throw WebApiException.Payload(table.EntitySetName, $"Targets[{index}] has no {table.Table.PrimaryIdColumn}; UpdateMultiple needs the primary key of every target.");
            }

            collection.Entities.Add(entity);
            index++;
        }

        var name = isUpdate ? "UpdateMultiple" : "CreateMultiple";
        return new WritePlan
        {
            Request = new OrganizationRequest(name) { ["Targets"] = collection },
            Bypass = bypass,
            Operations = Math.Max(1, collection.Entities.Count),
            Respond = response =>
            {
                if (isUpdate)
                {
                    return new WebApiResponse(204);
                }

                var ids = (Guid[])response.Results["Ids"];
                return JsonBody(200, w =>
                {
                    w.WriteString("@odata.context", context.Root + "$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse");
                    w.WriteStartArray("Ids");
                    foreach (var id in ids)
                    {
                        w.WriteStringValue(id.ToString("D"));
                    }

                    w.WriteEndArray();
                });
            },
        };
    }

    private WebApiResponse Representation(CallContext context, HttpOperation operation, WebApiTable table, Guid id, Prefer prefer, int status)
    {
        var options = operation.QueryOptions();
        var parsed = ODataQueryTranslator.Parse(context.Model, table, options.Where(o => o.Key == "$select").ToDictionary(o => o.Key, o => o.Value));
        var request = new OrganizationRequest("Retrieve") { ["Target"] = new EntityReference(table.Table.LogicalName, id), ["ColumnSet"] = parsed.Columns };
        var entity = (Entity)Execute(context, request, bypass: false).Results["Entity"];
        var writer = new EntityJsonWriter(_org, prefer);
        return JsonBody(status, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}{SelectSuffix(options)}/$entity");
            writer.WriteProperties(w, table, entity, parsed.SelectedProperties, omitNulls: false);
        }).With("ETag", EntityJsonWriter.Etag(entity.RowVersion ?? "0"));
    }

    internal static WebApiResponse JsonBody(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return WebApiResponse.Json(status, buffer.ToArray());
    }
}

/// <summary>JSON output settings: quotes and non-ASCII text are written as is (clients read them as JSON either way).</summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
