using PartnerGuard.Policy;

namespace PartnerGuard.Policy.Tests;

/// <summary>
/// Country names come from the platform's culture data (ICU on Linux, NLS on Windows), so these cases stick
/// to names both hold: English names, common native names and ISO codes.
/// </summary>
public sealed class CountryNormalizerTests
{
    [Theory]
    [InlineData("DE", "DE")]
    [InlineData("de", "DE")]
    [InlineData("DEU", "DE")]
    [InlineData("Germany", "DE")]
    [InlineData("GERMANY", "DE")]
    [InlineData("Deutschland", "DE")]
    [InlineData("France", "FR")]
    [InlineData("España", "ES")]
    [InlineData("espana", "ES")]
    [InlineData("Japan", "JP")]
    [InlineData("United Kingdom", "GB")]
    [InlineData("UK", "GB")]
    [InlineData("U.K.", "GB")]
    [InlineData("Great Britain", "GB")]
    [InlineData("United States", "US")]
    [InlineData("USA", "US")]
    [InlineData("United States of America", "US")]
    [InlineData("Holland", "NL")]
    [InlineData("Netherlands", "NL")]
    [InlineData("  brazil ", "BR")]
    [InlineData("Czech Republic", "CZ")]
    public void TryNormalize_KnownCountry_GivesIsoCode(string text, string code)
    {
        Assert.True(CountryNormalizer.TryNormalize(text, out var actual));
        Assert.Equal(code, actual);
    }

    /// <summary>
    /// The alias list, one case per alias: names people type that the region data does not hold under that spelling
    /// (on at least one platform). "USA", "Turkey" and "South Korea" are also in the region data on Linux, so their
    /// cases pass there without the alias.
    /// </summary>
    [Theory]
    [InlineData("Britain", "GB")]
    [InlineData("England", "GB")]
    [InlineData("Scotland", "GB")]
    [InlineData("Wales", "GB")]
    [InlineData("Northern Ireland", "GB")]
    [InlineData("United Kingdom of Great Britain and Northern Ireland", "GB")]
    [InlineData("America", "US")]
    [InlineData("The Netherlands", "NL")]
    [InlineData("Republic of Ireland", "IE")]
    [InlineData("Turkey", "TR")]
    [InlineData("South Korea", "KR")]
    [InlineData("Republic of Korea", "KR")]
    [InlineData("Russian Federation", "RU")]
    [InlineData("Viet Nam", "VN")]
    [InlineData("Ivory Coast", "CI")]
    [InlineData("UAE", "AE")]
    [InlineData("Hong Kong", "HK")]
    [InlineData("Macau", "MO")]
    [InlineData("Swaziland", "SZ")]
    [InlineData("Burma", "MM")]
    public void TryNormalize_Alias_GivesIsoCode(string alias, string code)
    {
        Assert.True(CountryNormalizer.TryNormalize(alias, out var actual));
        Assert.Equal(code, actual);
    }

    /// <summary>Hyphens, dots and repeated spaces don't change a name; the words themselves must stay apart.</summary>
    [Theory]
    [InlineData("great-britain", true)]
    [InlineData("GREAT   BRITAIN", true)]
    [InlineData(" Great Britain.", true)]
    [InlineData("GreatBritain", false)]
    [InlineData("Great Brit ain", false)]
    public void TryNormalize_SeparatorsBetweenWords_MatterOnlyAsWordBreaks(string text, bool known)
    {
        Assert.Equal(known, CountryNormalizer.TryNormalize(text, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Atlantis")]
    [InlineData("XX")]
    [InlineData("Latin America")]
    public void TryNormalize_UnknownOrEmpty_IsFalse(string? text)
    {
        Assert.False(CountryNormalizer.TryNormalize(text, out var code));
        Assert.Equal(string.Empty, code);
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("de", true)]
    [InlineData("DEU", false)]
    [InlineData("UK", false)]
    [InlineData("XX", false)]
    public void IsKnownCode_OnlyAcceptsIsoAlpha2(string code, bool expected)
    {
        Assert.Equal(expected, CountryNormalizer.IsKnownCode(code));
    }
}
