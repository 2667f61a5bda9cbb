using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator.Query;

/// <summary>The paging cookie: the page number and the sort key of the page's first and last rows.</summary>
internal sealed record PagingCookie(int Page, IReadOnlyList<string?> First, IReadOnlyList<string?> Last)
{
    public static string Build(int page, object?[] first, object?[] last)
    {
        var cookie = new XElement("cookie", new XAttribute("page", page));
        for (var i = 0; i < last.Length; i++)
        {
            var key = new XElement("key", new XAttribute("i", i));
            if (last[i] is not null)
            {
                key.Add(new XAttribute("last", ValueCodec.ToCookieText(last[i]!)));
            }

            if (first[i] is not null)
            {
                key.Add(new XAttribute("first", ValueCodec.ToCookieText(first[i]!)));
            }

            cookie.Add(key);
        }

        return cookie.ToString(SaveOptions.DisableFormatting);
    }

    public static PagingCookie Parse(string text)
    {
        try
        {
            var cookie = XElement.Parse(text);
            var page = int.Parse(cookie.Attribute("page")?.Value ?? "0", CultureInfo.InvariantCulture);
            var keys = cookie.Elements("key").ToArray();
            return new PagingCookie(page, keys.Select(k => k.Attribute("first")?.Value).ToArray(), keys.Select(k => k.Attribute("last")?.Value).ToArray());
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or FormatException or OverflowException)
        {
            throw OrgFaults.InvalidArgument($"The paging cookie is not valid: {ex.Message}");
        }
    }
}
