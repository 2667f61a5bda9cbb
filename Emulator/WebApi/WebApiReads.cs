using System.Globalization;
using System.ServiceModel;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>GETs: WhoAmI, Custom API functions, $metadata, EntityDefinitions, single rows, OData and FetchXML queries with paging links.</summary>
internal sealed class WebApiReads
{
    private readonly DataverseOrg _org;

    public WebApiReads(DataverseOrg org)
    {
        _org = org;
    }

    /// <summary>Answers a GET.</summary>
    public WebApiResponse Read(CallContext context, HttpOperation operation)
    {
        var (segment, key, rest) = WebApiRoute.Split(operation.Path);
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

        if (_org.FindCustomApi(segment) is { } api)
        {
            return CustomApiCalls.Function(_org, context, operation, api, key, rest);
        }

        var table = WebApiRoute.TableOf(context, segment);
        if (key is not null)
        {
            if (rest is not null)
            {
                throw WebApiException.NotFoundSegment(rest);
            }

            return RetrieveOne(context, operation, table, WebApiRoute.KeyOf(table, key));
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
        var result = WebApiDispatcher.Execute(_org, context, new OrganizationRequest("WhoAmI"), bypass: false);
        return JsonWriting.Body(200, w =>
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
        return (EntityCollection)WebApiDispatcher.Execute(_org, context, request, bypass: false).Results["EntityCollection"];
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
        var entity = (Entity)WebApiDispatcher.Execute(_org, context, request, bypass: false).Results["Entity"];
        var etag = EntityJsonWriter.Etag(entity.RowVersion ?? "0");
        if (!prefer.HasAnnotations && operation.Header("If-None-Match") is { } noneMatch && noneMatch.Trim() == etag)
        {
            // "Limit retrieval to changed records": 304 when the row version still matches.
            return new WebApiResponse(304).With("ETag", etag);
        }

        var writer = new EntityJsonWriter(_org, prefer);
        var expanded = ExpandedRows.Load(context.Model, parsed.Expansions, new[] { entity }, q => RetrieveMultiple(context, q));
        return JsonWriting.Body(200, w =>
        {
            w.WriteString("@odata.context", $"{context.Root}$metadata#{table.EntitySetName}{SelectSuffix(options)}/$entity");
            writer.WriteProperties(w, table, entity, parsed.SelectedProperties, omitNulls: false);
            expanded.Write(w, writer, entity);
        }).With("ETag", etag);
    }

    internal static string SelectSuffix(IReadOnlyDictionary<string, string> options)
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
        var response = JsonWriting.Body(200, w =>
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
        return JsonWriting.Body(200, w =>
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
}
