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

/// <summary>SQL LIKE patterns (%, _, [set]) as case- and accent-insensitive regular expressions.</summary>
internal static class LikePattern
{
    public static Regex ToRegex(string pattern)
    {
        var builder = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '%':
                    builder.Append(".*");
                    break;
                case '_':
                    builder.Append('.');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        var set = pattern.Substring(i + 1, close - i - 1);
                        builder.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                        i = close;
                    }
                    else
                    {
                        builder.Append(Regex.Escape("["));
                    }

                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        builder.Append('$');
        return new Regex(RemoveDiacritics(builder.ToString()), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    internal static string RemoveDiacritics(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }
}
