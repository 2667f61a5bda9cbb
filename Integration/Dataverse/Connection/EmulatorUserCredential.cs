using Azure.Core;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// The "token" of <c>AuthType=Emulator;…;User=NAME</c>: the user's name itself, which a local emulator resolves to an
/// enabled systemuser (domainname, then fullname). Nothing is signed; the emulator is reachable on loopback only.
/// </summary>
internal sealed class EmulatorUserCredential(string userName) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(userName, DateTimeOffset.MaxValue);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
