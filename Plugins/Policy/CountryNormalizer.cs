using System.Globalization;
using System.Text;

namespace PartnerGuard.Policy;

/// <summary>
/// Turns the free text of an address country ("Germany", "deutschland", "DEU", "de", "U.K.") into an
/// ISO 3166-1 alpha-2 code. Names and codes come from the platform's culture and region data
/// (<see cref="RegionInfo"/> for every specific culture: English, native and display names, two- and
/// three-letter codes); a short alias list covers common names that data does not hold. Comparison
/// ignores case, accents, dots and extra spaces.
/// </summary>
public static class CountryNormalizer
{
    // Names people commonly type that the region data does not hold under that spelling.
    private static readonly KeyValuePair<string, string>[] Aliases =
    {
        new("UK", "GB"),
        new("Great Britain", "GB"),
        new("Britain", "GB"),
        new("England", "GB"),
        new("Scotland", "GB"),
        new("Wales", "GB"),
        new("Northern Ireland", "GB"),
        new("United Kingdom of Great Britain and Northern Ireland", "GB"),
        new("USA", "US"),
        new("United States of America", "US"),
        new("America", "US"),
        new("Holland", "NL"),
        new("The Netherlands", "NL"),
        new("Republic of Ireland", "IE"),
        new("Czech Republic", "CZ"),
        new("Turkey", "TR"),
        new("South Korea", "KR"),
        new("Republic of Korea", "KR"),
        new("Russian Federation", "RU"),
        new("Viet Nam", "VN"),
        new("Ivory Coast", "CI"),
        new("UAE", "AE"),
        new("Hong Kong", "HK"),
        new("Macau", "MO"),
        new("Swaziland", "SZ"),
        new("Burma", "MM"),
    };

    private static readonly IReadOnlyDictionary<string, string> CodesByKey = Build();

    /// <summary>Every ISO alpha-2 code the region data knows.</summary>
    public static bool IsKnownCode(string? code)
    {
        var trimmed = code?.Trim();
        return trimmed is { Length: 2 } && TryNormalize(trimmed, out var found) && found == trimmed.ToUpperInvariant();
    }

    /// <summary>The ISO 3166-1 alpha-2 code for <paramref name="text"/>, or false when it is empty or unknown.</summary>
    public static bool TryNormalize(string? text, out string code)
    {
        code = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (CodesByKey.TryGetValue(Key(text!), out var found))
        {
            code = found;
            return true;
        }

        return false;
    }

    /// <summary>The comparison key: accents removed, letters and digits upper-cased, everything else a single space.</summary>
    internal static string Key(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToUpperInvariant(c));
            }
            else if (c != '.' && c != '\'')
            {
                // Dots and apostrophes join ("U.S.A." is "USA"); any other separator is a space.
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    private static IReadOnlyDictionary<string, string> Build()
    {
        var regions = new List<RegionInfo>();
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                var code = region.TwoLetterISORegionName;

                // UN M.49 areas such as 419 (Latin America) are not countries.
                if (code.Length == 2 && char.IsLetter(code[0]) && char.IsLetter(code[1]))
                {
                    regions.Add(region);
                }
            }
            catch (ArgumentException)
            {
                // A culture without a region: nothing to learn from it.
            }
        }

        // Codes first, so that no name can shadow a code; then names; then the aliases.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            var code = region.TwoLetterISORegionName.ToUpperInvariant();
            Add(map, code, code);
            Add(map, region.ThreeLetterISORegionName, code);
        }

        foreach (var region in regions)
        {
            var code = region.TwoLetterISORegionName.ToUpperInvariant();
            Add(map, region.EnglishName, code);
            Add(map, region.NativeName, code);
            Add(map, region.DisplayName, code);
        }

        foreach (var alias in Aliases)
        {
            Add(map, alias.Key, alias.Value);
        }

        return map;
    }

    private static void Add(Dictionary<string, string> map, string? text, string code)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var key = Key(text!);
        if (key.Length > 0 && !map.ContainsKey(key))
        {
            map.Add(key, code);
        }
    }
}
