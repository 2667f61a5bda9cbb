using PartnerGuard.Integration.Dataverse.Connection;

namespace PartnerGuard.Integration.Tests.Connection;

// Key names and aliases: ServiceClient connection-string constants, as summarised in
// shared/reference/webapi-notes.md §5.3 (docs "Use connection strings in XRM tooling").
public class ConnectionStringParserTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string App = "11111111-2222-3333-4444-555555555555";

    [Theory]
    [InlineData("AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=s3cr3t-Value;TenantId=" + Tenant)]
    [InlineData("authtype=clientsecret; url=https://contoso.crm.dynamics.com/ ; appid=" + App + "; secret=s3cr3t-Value; tenantid=" + Tenant)]
    [InlineData("AuthenticationType=ClientSecret;Service Uri=https://contoso.crm.dynamics.com;ApplicationId=" + App + ";ClientSecret=s3cr3t-Value;TenantId=" + Tenant + ";SkipDiscovery=true;RequireNewInstance=false")]
    [InlineData("AuthType=ClientSecret;ServiceUri=\"https://contoso.crm.dynamics.com\";ClientId='" + App + "';ClientSecret=\"s3cr3t-Value\";TenantId=" + Tenant + ";")]
    public void Parse_ClientSecretForms_AllMeanTheSame(string text)
    {
        var settings = ConnectionStringParser.Parse(text);

        Assert.Equal(AuthKind.ClientSecret, settings.AuthKind);
        Assert.Equal(new Uri("https://contoso.crm.dynamics.com/"), settings.Url);
        Assert.Equal(App, settings.ClientId);
        Assert.Equal(Tenant, settings.TenantId);
        Assert.Equal("s3cr3t-Value", settings.RevealClientSecret());
        Assert.Equal("https://contoso.crm.dynamics.com/.default", settings.Scope);
    }

    [Fact]
    public void Parse_QuotedValues_KeepSemicolonsAndDoubledQuotes()
    {
        var settings = ConnectionStringParser.Parse(
            "AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=\"a;b\"\"c'd\";TenantId=" + Tenant);

        Assert.Equal("a;b\"c'd", settings.RevealClientSecret());
    }

    [Fact]
    public void Parse_CertificateWithEitherThumbprintKey_NormalisesTheThumbprint()
    {
        var a = ConnectionStringParser.Parse("AuthType=Certificate;Url=https://contoso.crm4.dynamics.com;ClientId=" + App + ";Thumbprint=ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01;TenantId=" + Tenant);
        var b = ConnectionStringParser.Parse("AuthType=Certificate;Url=https://contoso.crm4.dynamics.com;ClientId=" + App + ";CertificateThumbprint=ABCDEF0123456789ABCDEF0123456789ABCDEF01;TenantId=" + Tenant + ";StoreName=My");

        Assert.Equal("ABCDEF0123456789ABCDEF0123456789ABCDEF01", a.CertificateThumbprint);
        Assert.Equal(a.CertificateThumbprint, b.CertificateThumbprint);
        Assert.Equal("My", b.CertificateStoreName);
        Assert.Equal(AuthKind.Certificate, a.AuthKind);
    }

    [Fact]
    public void Parse_OAuthDocExample_AcceptsRedirectUriAndLoginPrompt()
    {
        // The OAuth example of the XRM tooling connection-string page (without Password).
        var settings = ConnectionStringParser.Parse(
            "AuthType=OAuth;Url=https://contoso.crm.dynamics.com;Username=jsmith@contoso.onmicrosoft.com;AppId=51f81489-12ee-4a9e-aaae-a2591f45987d;RedirectUri=app://58145B91-0C36-4500-8554-080854F2AC97;LoginPrompt=Auto");

        Assert.Equal(AuthKind.OAuth, settings.AuthKind);
        Assert.Equal(LoginPrompt.Auto, settings.LoginPrompt);
        Assert.Equal("jsmith@contoso.onmicrosoft.com", settings.UserName);
        Assert.NotNull(settings.RedirectUri);
    }

    [Fact]
    public void Parse_WithoutTenant_IsAcceptedForDiscovery()
    {
        // The strings users really have usually lack TenantId; the console then discovers it (TenantDiscovery).
        var settings = ConnectionStringParser.Parse("AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=x");

        Assert.Null(settings.TenantId);
        Assert.True(settings.NeedsTenant);
        Assert.Equal(Tenant, settings.WithTenant(Tenant).TenantId);
        Assert.Equal("x", settings.WithTenant(Tenant).RevealClientSecret());
    }

    [Fact]
    public void Parse_ManagedIdentity_NeedsOnlyTheUrl()
    {
        var settings = ConnectionStringParser.Parse("AuthType=ManagedIdentity;Url=https://contoso.crm.dynamics.com");

        Assert.Equal(AuthKind.ManagedIdentity, settings.AuthKind);
        Assert.Null(settings.ClientId);
    }

    // The loopback emulator form (issue #12 item 10): no sign-in, an optional user sent as the bearer token.
    [Theory]
    [InlineData("AuthType=Emulator;Url=http://127.0.0.1:5555;User=Priya Patel (demo)", "http://127.0.0.1:5555/", "Priya Patel (demo)")]
    [InlineData("authtype=emulator;url=http://localhost:5555/api/data/v9.2/", "http://localhost:5555/", null)]
    [InlineData("AuthType=Emulator;Url=https://[::1]:5556;UserName=priya@contoso.example", "https://[::1]:5556/", "priya@contoso.example")]
    public void Parse_Emulator_TakesALoopbackUrlAndAnOptionalUser(string text, string url, string? user)
    {
        var settings = ConnectionStringParser.Parse(text);

        Assert.Equal(AuthKind.Emulator, settings.AuthKind);
        Assert.Equal(new Uri(url), settings.Url);
        Assert.Equal(user, settings.UserName);
        Assert.False(settings.NeedsTenant);
        Assert.Equal(user is null ? null : typeof(EmulatorUserCredential), CredentialFactory.Create(settings, canPrompt: false, TextWriter.Null)?.GetType());
    }

    [Theory]
    [InlineData("AuthType=Emulator;Url=http://192.0.2.10:5555;User=x", "Url", "loopback")]
    [InlineData("AuthType=Emulator;Url=https://contoso.crm.dynamics.com", "Url", "loopback")]
    [InlineData("AuthType=Emulator;Url=http://127.0.0.1:5555;ClientSecret=x", "ClientSecret", "does not belong")]
    [InlineData("AuthType=Emulator;Url=http://127.0.0.1:5555;User=Zoë", "User", "ASCII")]
    public void Parse_BadEmulatorString_SaysWhy(string text, string key, string expected)
    {
        var error = Assert.Throws<ConnectionStringException>(() => ConnectionStringParser.Parse(text));

        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AuthType=ClientSecret;ClientId=" + App + ";ClientSecret=x;TenantId=" + Tenant, "Url")]
    [InlineData("Url=https://contoso.crm.dynamics.com", "AuthType")]
    [InlineData("AuthType=Office365;Url=https://contoso.crm.dynamics.com", "AuthType")]
    [InlineData("AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";TenantId=" + Tenant, "ClientSecret")]
    [InlineData("AuthType=Certificate;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";TenantId=" + Tenant, "Thumbprint")]
    [InlineData("AuthType=Certificate;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";TenantId=" + Tenant + ";CertThumbprint=xyz", "CertThumbprint")]
    [InlineData("AuthType=ClientSecret;Url=contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=x;TenantId=" + Tenant, "Url")]
    [InlineData("AuthType=ClientSecret;ServiceUri=http://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=x;TenantId=" + Tenant, "ServiceUri")]
    [InlineData("AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;AppId=not-a-guid;ClientSecret=x;TenantId=" + Tenant, "AppId")]
    [InlineData("AuthType=OAuth;Url=https://contoso.crm.dynamics.com;LoginPrompt=Sometimes", "LoginPrompt")]
    [InlineData("AuthType=OAuth;Url=https://contoso.crm.dynamics.com;Colour=blue", "Colour")]
    [InlineData("AuthType=OAuth;Url=https://contoso.crm.dynamics.com;URL=https://other.crm.dynamics.com", "URL")]
    [InlineData("AuthType=OAuth;Url=https://contoso.crm.dynamics.com;Password=pw", "Password")]
    [InlineData("AuthType=OAuth;Url=https://contoso.crm.dynamics.com;RedirectUri=\"http://localhost", "RedirectUri")]
    [InlineData("AuthType=ManagedIdentity;Url=https://contoso.crm.dynamics.com;ClientSecret=x", "ClientSecret")]
    public void Parse_BadString_NamesTheKey(string text, string key)
    {
        var error = Assert.Throws<ConnectionStringException>(() => ConnectionStringParser.Parse(text));

        Assert.Equal(key, error.Key);
        Assert.Contains($"'{key}'", error.Message + $" '{error.Key}'", StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnquotedSemicolonInSecret_FailsWithoutEchoingTheSecretTail()
    {
        const string text = "AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=abc;Xq9-TailOfSecret;TenantId=" + Tenant;

        var error = Assert.Throws<ConnectionStringException>(() => ConnectionStringParser.Parse(text));

        Assert.Equal("ClientSecret", error.Key);
        Assert.DoesNotContain("Xq9-TailOfSecret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_IsRedacted()
    {
        var settings = ConnectionStringParser.Parse(
            "AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=" + App + ";ClientSecret=Very-Secret-123;TenantId=" + Tenant);

        var text = settings.ToString();

        Assert.DoesNotContain("Very-Secret-123", text, StringComparison.Ordinal);
        Assert.Contains("ClientSecret=***", text, StringComparison.Ordinal);
        Assert.Contains("https://contoso.crm.dynamics.com", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_OptionWinsOverEnvironment_EnvironmentIsTheFallback()
    {
        const string fromOption = "AuthType=ManagedIdentity;Url=https://option.crm.dynamics.com";
        const string fromEnvironment = "AuthType=ManagedIdentity;Url=https://environment.crm.dynamics.com";
        string? Environment(string name) => name == ConnectionResolver.EnvironmentVariable ? fromEnvironment : null;

        Assert.Equal("option.crm.dynamics.com", ConnectionResolver.Resolve(fromOption, Environment)!.Url.Host);
        Assert.Equal("environment.crm.dynamics.com", ConnectionResolver.Resolve(null, Environment)!.Url.Host);
        Assert.Null(ConnectionResolver.Resolve(null, _ => null));
    }
}
