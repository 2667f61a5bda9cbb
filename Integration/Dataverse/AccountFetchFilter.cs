using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.WebApi;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>
/// The optional `--fetch-xml FILE` filter of `plan` and `distribute`: a FetchXML query on account whose matches
/// narrow the eligible accounts. The file is checked before connecting (bad input → exit 1, nothing written).
/// Against the server only the matching account ids are read, page by page with the FetchXML paging cookie
/// (webapi-notes §1.5); the planner keeps the candidates that are among them. The id set is one Guid per
/// matching account, no more than the candidate list the planner already keeps.
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

    public static Option<string?> Option() => new("--fetch-xml")
    {
        Description = "Only accounts matching this FetchXML query on account are eligible (e.g. a filter on address1_country). Its columns and order are ignored; link-entity filters are kept.",
        HelpName = "file",
    };

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
            root = XElement.Parse(text, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new UsageException($"--fetch-xml '{shownAs}' is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}");
        }

        if (root.Name.LocalName != "fetch" || root.Name.Namespace != XNamespace.None)
        {
            throw new UsageException($"--fetch-xml '{shownAs}' must be a <fetch> query; its root element is <{root.Name.LocalName}>.");
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

        // Only the ids are read: the account's own columns and orders are replaced by accountid (a stable order
        // for cookie paging); filters and link-entities stay as written. A link-entity can repeat an account;
        // the id set absorbs repeats.
        var fetch = new XElement(root);
        fetch.SetAttributeValue("page", null);
        fetch.SetAttributeValue("count", null);
        fetch.SetAttributeValue("paging-cookie", null);
        fetch.SetAttributeValue("mapping", "logical");
        var copy = fetch.Element("entity")!;
        copy.Elements().Where(e => e.Name.LocalName is "attribute" or "all-attributes" or "order").Remove();
        copy.AddFirst(
            new XElement("attribute", new XAttribute("name", AccountColumns.Id)),
            new XElement("order", new XAttribute("attribute", AccountColumns.Id)));
        return new AccountFetchFilter(fetch, shownAs, pageSize);
    }

    /// <summary>The FetchXML sent for one page (visible for tests).</summary>
    internal string PageQuery(int page, string? pagingCookie)
    {
        var fetch = new XElement(_fetch);
        fetch.SetAttributeValue("page", page.ToString(CultureInfo.InvariantCulture));
        fetch.SetAttributeValue("count", _pageSize.ToString(CultureInfo.InvariantCulture));
        fetch.SetAttributeValue("paging-cookie", pagingCookie);
        return fetch.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The ids of the accounts the query matches, read page by page with the paging cookie.</summary>
    public async Task<HashSet<Guid>> ReadAccountIdsAsync(DataverseWebApiClient client, CancellationToken cancellationToken)
    {
        var set = await client.GetEntitySetNameAsync(AccountColumns.Table, cancellationToken).ConfigureAwait(false);
        var ids = new HashSet<Guid>();
        string? cookie = null;
        for (var page = 1; ; page++)
        {
            var query = $"{set}?fetchXml={Uri.EscapeDataString(PageQuery(page, cookie))}";
            var (more, next) = await client.QueryPageAsync(
                query,
                $"odata.include-annotations=\"{PagingCookieAnnotation},{MoreRecordsAnnotation}\"",
                root => ReadPage(root, ids),
                cancellationToken).ConfigureAwait(false);
            if (!more)
            {
                return ids;
            }

            if (next is null)
            {
                throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.OK, string.Empty,
                    $"The server reported more accounts for --fetch-xml '{File}' (page {page}) but sent no paging cookie to read them."));
            }

            cookie = next;
        }
    }

    private static (bool More, string? Cookie) ReadPage(JsonElement root, HashSet<Guid> ids)
    {
        if (!root.TryGetProperty("value", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            throw new DataverseException(new DataverseError(System.Net.HttpStatusCode.OK, string.Empty, "The response to the --fetch-xml query has no 'value' array."));
        }

        foreach (var row in rows.EnumerateArray())
        {
            if (row.TryGetProperty(AccountColumns.Id, out var id) && id.ValueKind == JsonValueKind.String && Guid.TryParse(id.GetString(), out var value))
            {
                ids.Add(value);
            }
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

        return (more, cookie);
    }
}
