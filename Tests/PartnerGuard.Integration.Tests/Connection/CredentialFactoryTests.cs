using Azure.Identity;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.Connection;

namespace PartnerGuard.Integration.Tests.Connection;

// Credential kinds per webapi-notes §5.2: ClientSecretCredential, ClientCertificateCredential,
// ManagedIdentityCredential, DeviceCodeCredential for a person at a terminal.
public class CredentialFactoryTests
{
    private const string Start = "Url=https://contoso.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;TenantId=72f988bf-86f1-41af-91ab-2d7cd011db47;";

    [Theory]
    [InlineData("AuthType=ClientSecret;ClientSecret=x;" + Start, typeof(ClientSecretCredential))]
    [InlineData("AuthType=ManagedIdentity;" + Start, typeof(ManagedIdentityCredential))]
    [InlineData("AuthType=ManagedIdentity;Url=https://contoso.crm.dynamics.com", typeof(ManagedIdentityCredential))]
    [InlineData("AuthType=OAuth;" + Start, typeof(DeviceCodeCredential))]
    public void Create_PicksTheCredentialOfTheAuthType(string connection, Type expected)
    {
        var credential = CredentialFactory.Create(ConnectionStringParser.Parse(connection), canPrompt: true, TextWriter.Null);

        Assert.IsType(expected, credential);
    }

    [Theory]
    [InlineData("AuthType=OAuth;" + Start, false)]
    [InlineData("AuthType=OAuth;LoginPrompt=Never;" + Start, true)]
    public void Create_OAuthWithoutATerminal_FailsWithConnectionError(string connection, bool canPrompt)
    {
        var error = Assert.Throws<ConnectionFailedException>(() => CredentialFactory.Create(ConnectionStringParser.Parse(connection), canPrompt, TextWriter.Null));

        Assert.Contains("needs a terminal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CertificateNotInAnyStore_SaysWhereItLooked()
    {
        var settings = ConnectionStringParser.Parse("AuthType=Certificate;Thumbprint=ABCDEF0123456789ABCDEF0123456789ABCDEF01;" + Start);

        var error = Assert.Throws<ConnectionFailedException>(() => CredentialFactory.Create(settings, canPrompt: false, TextWriter.Null));

        Assert.Contains("ABCDEF0123456789ABCDEF0123456789ABCDEF01", error.Message, StringComparison.Ordinal);
        Assert.Contains("current user or the local machine", error.Message, StringComparison.Ordinal);
    }
}
