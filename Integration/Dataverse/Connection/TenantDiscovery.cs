using System.Net;
using System.Text.RegularExpressions;
using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// Finds the Entra tenant of an environment when the connection string has no TenantId, as ServiceClient does:
/// an unauthenticated request to the Web API root is answered 401 with a Bearer challenge whose
/// authorization_uri names the tenant (https://login.microsoftonline.com/{tenant}/oauth2/authorize).
/// [Observed service behaviour; not restated in the reference notes.]
/// </summary>
internal static partial class TenantDiscovery
{
    public static async Task<string> DiscoverAsync(Uri environment, HttpMessageHandler? transport, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(transport ?? new SocketsHttpHandler { UseCookies = false }, disposeHandler: transport is null)
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(environment, "/api/data/v9.2/"));
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            throw new ConnectionFailedException($"Could not reach {environment.GetLeftPart(UriPartial.Authority)} to find its tenant: {error.Message}", error);
        }

        using (response)
        {
            // Read the raw header: unquoted URL parameters are not valid HTTP tokens, so the typed parser drops them.
            var challenge = response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join(", ", values) : string.Empty;
            if (response.StatusCode == HttpStatusCode.Unauthorized && AuthorizationUri().Match(challenge) is { Success: true } match)
            {
                return match.Groups["tenant"].Value;
            }
        }

        throw new ConnectionFailedException(
            $"The connection string has no TenantId and {environment.GetLeftPart(UriPartial.Authority)} did not name its tenant. Add TenantId=<directory (tenant) id> to the connection string.");
    }

    [GeneratedRegex(@"authorization_uri=""?https://[^/""]+/(?<tenant>[^/""]+)/", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationUri();
}
