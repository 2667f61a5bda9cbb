using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// The optional `--fetch-xml FILE` filter of `plan` and `distribute`: a FetchXML query on account whose matches
/// narrow the eligible accounts. The file is checked before connecting (bad input → exit 1, nothing written).
/// Against the server the user's conditions and link-entities are kept and the planner's own columns, conditions
/// and order are put into the same query (<see cref="PageQuery"/>), which is read page by page with the FetchXML
/// paging cookie (webapi-notes §1.5): only the matching candidates come back, and the client keeps no set of ids.
/// Paging with a cookie needs an order on a unique column to be consistent, and a distinct query gets no order
/// added by the server, so the query orders by accountid itself ("Page results using FetchXml" and "Paging
/// behaviors and ordering", learn.microsoft.com/power-apps/developer/data-platform/fetchxml/page-results and
/// …/org-service/paging-behaviors-and-ordering).
/// </summary>
internal sealed class AccountFetchFilter
{
    /// <summary>Rows per FetchXML page by default (the service's maximum `count` is 5000, webapi-notes §1.5).</summary>
    internal const int MaxPageSize = 5000;

    private const string PagingCookieAnnotation = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    private const string MoreRecordsAnnotation = "Microsoft.Dynamics.CRM.morerecords";

    private readonly XElement _fetch;

    private readonly int _pageSize;

    private AccountFetchFilter(XElement fetch, string file, int pageSize)
    {
        _fetch = fetch;
        File = file;
        _pageSize = pageSize;
    }

    /// <summary>The file the filter was read from, as given on the command line.</summary>
    public string File { get; }

    /// <summary>Reads and checks the file; every problem is a <see cref="UsageException"/> naming the file.</summary>
    public static AccountFetchFilter Load(string path, string shownAs, int pageSize = MaxPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--fetch-xml '{shownAs}' cannot be read: {ex.Message}");
        }

        XElement root;
        try
        {
            // A DTD is refused, not silently ignored: its entities would otherwise become empty values (a query that
            // means something else), and FetchXML never needs one. No resolver: nothing outside the file is read.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var reader = XmlReader.Create(new StringReader(text), settings);
            root = XElement.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"--fetch-xml '{shownAs}' contains a DTD (<!DOCTYPE …>), which FetchXML does not use; remove it.");
        }
        catch (XmlException ex)
        {
            throw new UsageException($"--fetch-xml '{shownAs}' is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}");
        }

        if (root.Name.LocalName != "fetch" || root.Name.Namespace != XNamespace.None)
        {
            var shown = root.Name.Namespace == XNamespace.None ? root.Name.LocalName : $"{root.Name.LocalName} xmlns='{root.Name.NamespaceName}'";
            throw new UsageException($"--fetch-xml '{shownAs}' must be a <fetch> query without a namespace; its root element is <{shown}>.");
        }

        var entities = root.Elements("entity").ToList();
        if (entities.Count != 1)
        {
            throw new UsageException($"--fetch-xml '{shownAs}' must have exactly one <entity> element under <fetch>; it has {entities.Count}.");
        }

        var entity = entities[0];
        var name = entity.Attribute("name")?.Value;
        if (!string.Equals(name, AccountColumns.Table, StringComparison.Ordinal))
        {
            throw new UsageException($"--fetch-xml '{shownAs}' must query <entity name='account'>; it queries '{name ?? "(no name)"}'.");
        }

        foreach (var attribute in new[] { "aggregate", "top", "returntotalrecordcount" })
        {
            var value = root.Attribute(attribute)?.Value;
            if (value is not null && !(attribute != "top" && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase)))
            {
                throw new UsageException($"--fetch-xml '{shownAs}': the fetch attribute {attribute}='{value}' is not supported; the filter must select whole accounts (remove it).");
            }
        }

        if (entity.Descendants("attribute").Any(a => a.Attribute("aggregate") is not null || a.Attribute("groupby") is not null))
        {
            throw new UsageException($"--fetch-xml '{shownAs}': aggregate or groupby columns are not supported; the filter must select whole accounts.");
        }

        // The user's filters and link-entities stay as written; their columns and orders are dropped (the planner
        // selects its own columns and orders by accountid). A link-entity can repeat an account on several rows:
        // distinct='true' asks the server for one row per account, and the planner also skips an account repeated
        // on consecutive rows (the order by accountid puts repeats next to each other).
        var fetch = new XElement(root);
        fetch.SetAttributeValue("page", null);
        fetch.SetAttributeValue("count", null);
        fetch.SetAttributeValue("paging-cookie", null);
        fetch.SetAttributeValue("mapping", "logical");
        fetch.SetAttributeValue("distinct", "true");
        var copy = fetch.Element("entity")!;
        copy.Elements().Where(e => e.Name.LocalName is "attribute" or "all-attributes" or "order").Remove();
        copy.Descendants("link-entity").Elements().Where(e => e.Name.LocalName is "attribute" or "all-attributes" or "order").Remove();
        return new AccountFetchFilter(fetch, shownAs, pageSize);
    }

    /// <summary>
    /// The FetchXML sent for one page (visible for tests): the user's query with <paramref name="columns"/> as its
    /// columns, its filters nested in an 'and' filter with <paramref name="conditions"/> (each a
    /// (column, operator, value or null) triple), and ordered by accountid.
    /// </summary>
    internal string PageQuery(IReadOnlyList<string> columns, IReadOnlyList<(string Column, string Operator, string? Value)> conditions, int page, string? pagingCookie)
    {
        var fetch = new XElement(_fetch);
        fetch.SetAttributeValue("page", page.ToString(CultureInfo.InvariantCulture));
        fetch.SetAttributeValue("count", _pageSize.ToString(CultureInfo.InvariantCulture));
        fetch.SetAttributeValue("paging-cookie", pagingCookie);
        var entity = fetch.Element("entity")!;
        var filter = new XElement("filter", new XAttribute("type", "and"));
        foreach (var (column, op, value) in conditions)
        {
            var condition = new XElement("condition", new XAttribute("attribute", column), new XAttribute("operator", op));
            if (value is not null)
            {
                condition.SetAttributeValue("value", value);
            }

            filter.Add(condition);
        }

        var userFilters = entity.Elements("filter").ToList();
        userFilters.Remove();
        filter.Add(userFilters);
        entity.AddFirst(columns.Select(c => new XElement("attribute", new XAttribute("name", c))));
        entity.Add(filter, new XElement("order", new XAttribute("attribute", AccountColumns.Id)));
        return fetch.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// The matching accounts, read page by page with the paging cookie and handed on row by row (each row is valid
    /// only during <paramref name="map"/>): one page is held at a time.
    /// </summary>
    public async IAsyncEnumerable<T> ReadAsync<T>(
        DataverseWebApiClient client,
        IReadOnlyList<string> columns,
        IReadOnlyList<(string Column, string Operator, string? Value)> conditions,
        Func<JsonElement, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        string? cookie = null;
        for (var page = 1; ; page++)
        {
            var query = $"{set}?fetchXml={Uri.EscapeDataString(PageQuery(columns, conditions, page, cookie))}";
            var (rows, more, next) = await client.QueryPageAsync(
                query,
                $"odata.include-annotations=\"{PagingCookieAnnotation},{MoreRecordsAnnotation},{DataverseWebApiClient.LookupTableAnnotation}\"",
                root => ReadPage(root, map),
                cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                yield return row;
            }

            if (!more)
            {
                yield break;
            }

            if (next is null)
            {
                throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.OK, string.Empty,
                    $"The server reported more accounts for --fetch-xml '{File}' (page {page}) but sent no paging cookie to read them."));
            }

            cookie = next;
        }
    }

    private static (List<T> Rows, bool More, string? Cookie) ReadPage<T>(JsonElement root, Func<JsonElement, T> map)
    {
        if (!root.TryGetProperty("value", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.OK, string.Empty, "The response to the --fetch-xml query has no 'value' array."));
        }

        // One page (at most the page size, 5000 by default) of mapped rows: the JSON is released before they are used.
        var mapped = new List<T>(rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            mapped.Add(map(row));
        }

        var more = root.TryGetProperty("@" + MoreRecordsAnnotation, out var m) && m.ValueKind == JsonValueKind.True;
        string? cookie = null;
        if (root.TryGetProperty("@" + PagingCookieAnnotation, out var c) && c.ValueKind == JsonValueKind.String)
        {
            // "<cookie pagenumber='2' pagingcookie='…'/>": the pagingcookie attribute is URL-encoded twice (webapi-notes §1.5).
            var element = XElement.Parse(c.GetString()!);
            var encoded = element.Attribute("pagingcookie")?.Value;
            cookie = encoded is null ? null : Uri.UnescapeDataString(Uri.UnescapeDataString(encoded));
            more = more || cookie is not null;
        }

        return (mapped, more, cookie);
    }
}
