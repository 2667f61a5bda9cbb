using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// Turns connection settings into an Azure.Identity credential. One credential instance per process:
/// Azure.Identity caches tokens in memory per instance (webapi-notes §5.2), so the instance is reused.
/// </summary>
internal static class CredentialFactory
{
    /// <param name="settings">The parsed connection.</param>
    /// <param name="canPrompt">True when a person sits at a terminal (OAuth device-code sign-in needs one).</param>
    /// <param name="prompt">Where the device-code instructions go (standard error).</param>
    /// <returns>The credential; null for AuthType=Emulator without a User (no Authorization header: the emulator's administrator).</returns>
    public static TokenCredential? Create(ConnectionSettings settings, bool canPrompt, TextWriter prompt)
    {
        switch (settings.AuthKind)
        {
            case AuthKind.ClientSecret:
                return new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.RevealClientSecret());
            case AuthKind.Certificate:
                var certificate = FindCertificate(settings.CertificateThumbprint!, settings.CertificateStoreName);
                return new ClientCertificateCredential(settings.TenantId, settings.ClientId, certificate);
            case AuthKind.ManagedIdentity:
                return settings.ClientId is null
                    ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ClientId));
            case AuthKind.Emulator:
                return settings.UserName is { } user ? new EmulatorUserCredential(user) : null;
            case AuthKind.OAuth:
                if (!canPrompt || settings.LoginPrompt == LoginPrompt.Never)
                {
                    throw new ConnectionFailedException(
                        "AuthType=OAuth signs a person in with a device code and needs a terminal. For scheduled jobs use an application user (AuthType=ClientSecret or Certificate) or AuthType=ManagedIdentity.");
                }

                return new DeviceCodeCredential(new DeviceCodeCredentialOptions
                {
                    ClientId = settings.ClientId ?? ConnectionSettings.SampleClientId,
                    TenantId = settings.TenantId ?? "organizations",
                    DeviceCodeCallback = (code, _) => prompt.WriteLineAsync(code.Message),
                });
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.AuthKind, "Unknown authentication kind.");
        }
    }

    /// <summary>
    /// Finds a certificate with its private key by thumbprint: the named store (default My) of the current
    /// user first, then of the local machine, the order ServiceClient uses (webapi-notes §5.3).
    /// </summary>
    public static X509Certificate2 FindCertificate(string thumbprint, string? storeName)
    {
        var name = StoreName.My;
        if (storeName is not null && !Enum.TryParse(storeName, ignoreCase: true, out name))
        {
            throw new ConnectionStringException("CertificateStoreName", $"'CertificateStoreName' must name a certificate store such as My; got '{storeName}'.");
        }

        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(name, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                foreach (var certificate in found)
                {
                    if (certificate.HasPrivateKey)
                    {
                        return certificate;
                    }
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // The store does not exist at this location; try the next one.
            }
        }

        throw new ConnectionFailedException(
            $"No certificate with thumbprint {thumbprint} and a private key was found in the {name} store of the current user or the local machine.");
    }
}
