using System.Net;
using Azure.Core;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Tests.Support;

namespace PartnerGuard.Integration.Tests.Connection;

public class BearerTokenHandlerTests
{
    [Fact]
    public async Task SendAsync_ReusesTheTokenUntilFiveMinutesBeforeExpiry()
    {
        var time = new VirtualTimeProvider(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        var credential = new CountingCredential(time, lifetime: TimeSpan.FromHours(1));
        var transport = new FakeDataverseHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        using var client = new HttpClient(new BearerTokenHandler(credential, "https://contoso.crm.dynamics.com/.default", time) { InnerHandler = transport });

        await client.GetAsync(new Uri("https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI"));
        time.Advance(TimeSpan.FromMinutes(54));
        await client.GetAsync(new Uri("https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI"));
        time.Advance(TimeSpan.FromMinutes(2)); // now 4 minutes before expiry: refresh
        await client.GetAsync(new Uri("https://contoso.crm.dynamics.com/api/data/v9.2/WhoAmI"));

        Assert.Equal(2, credential.Calls);
        Assert.Equal(["https://contoso.crm.dynamics.com/.default"], credential.LastScopes);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], transport.Requests.Select(r => r.Header("Authorization")));
    }

    private sealed class CountingCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
    {
        public int Calls { get; private set; }

        public string[] LastScopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            LastScopes = requestContext.Scopes;
            return ValueTask.FromResult(new AccessToken($"token-{Calls}", time.GetUtcNow() + lifetime));
        }
    }
}
