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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Atlantis")]
    [InlineData("XX")]
    [InlineData("Latin America")]
    public void TryNormalize_UnknownOrEmpty_IsFalse(string? text)
    {
        Assert.False(CountryNormalizer.TryNormalize(text, out _));
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
