using System.Text;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// A parsed Dataverse connection string. The secret is held privately and never appears in
/// <see cref="ToString"/>, which is the only text form of the settings used in output, logs and reports.
/// Deliberately not a record: a record's generated ToString would print every property.
/// </summary>
internal sealed class ConnectionSettings
{
    /// <summary>The client ID of Microsoft's sample "Dataverse dev" registration; prototyping only.</summary>
    public const string SampleClientId = "51f81489-12ee-4a9e-aaae-a2591f45987d";

    private readonly string? _clientSecret;

    public ConnectionSettings(
        AuthKind authKind,
        Uri url,
        string? clientId,
        string? clientSecret,
        string? certificateThumbprint,
        string? certificateStoreName,
        string? tenantId,
        Uri? redirectUri,
        LoginPrompt loginPrompt,
        string? userName)
    {
        AuthKind = authKind;
        Url = url;
        ClientId = clientId;
        _clientSecret = clientSecret;
        CertificateThumbprint = certificateThumbprint;
        CertificateStoreName = certificateStoreName;
        TenantId = tenantId;
        RedirectUri = redirectUri;
        LoginPrompt = loginPrompt;
        UserName = userName;
    }

    public AuthKind AuthKind { get; }

    /// <summary>The environment URL (scheme and host, no path), e.g. https://contoso.crm.dynamics.com.</summary>
    public Uri Url { get; }

    public string? ClientId { get; }

    public string? CertificateThumbprint { get; }

    public string? CertificateStoreName { get; }

    public string? TenantId { get; }

    public Uri? RedirectUri { get; }

    public LoginPrompt LoginPrompt { get; }

    /// <summary>A sign-in hint for OAuth; for AuthType=Emulator, the user to act as (sent as the bearer token). Not a secret.</summary>
    public string? UserName { get; }

    public bool HasClientSecret => !string.IsNullOrEmpty(_clientSecret);

    /// <summary>True for the application-user kinds, whose token request needs the tenant.</summary>
    public bool NeedsTenant => AuthKind is AuthKind.ClientSecret or AuthKind.Certificate;

    /// <summary>The same settings with a tenant found by discovery.</summary>
    public ConnectionSettings WithTenant(string tenantId) =>
        new(AuthKind, Url, ClientId, _clientSecret, CertificateThumbprint, CertificateStoreName, tenantId, RedirectUri, LoginPrompt, UserName);

    /// <summary>The token scope for this environment: "&lt;url&gt;/.default".</summary>
    public string Scope => Url.GetLeftPart(UriPartial.Authority) + "/.default";

    /// <summary>
    /// The secret, for the credential factory only. Named so that a reviewer sees every use.
    /// </summary>
    public string RevealClientSecret() =>
        _clientSecret ?? throw new InvalidOperationException("This connection has no client secret.");

    /// <summary>Values that must never be printed; the output scrubber masks them as a second line of defence.</summary>
    public IReadOnlyList<string> SecretValues =>
        string.IsNullOrEmpty(_clientSecret) ? [] : [_clientSecret];

    /// <summary>A redacted description, safe for output and logs.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("AuthType=").Append(AuthKind);
        text.Append(";Url=").Append(Url.GetLeftPart(UriPartial.Authority));
        if (ClientId is not null)
        {
            text.Append(";ClientId=").Append(ClientId);
        }

        if (HasClientSecret)
        {
            text.Append(";ClientSecret=***");
        }

        if (CertificateThumbprint is not null)
        {
            text.Append(";Thumbprint=").Append(CertificateThumbprint);
        }

        if (TenantId is not null)
        {
            text.Append(";TenantId=").Append(TenantId);
        }

        if (AuthKind == AuthKind.Emulator && UserName is not null)
        {
            text.Append(";User=").Append(UserName);
        }

        return text.ToString();
    }
}
