using System.Net.Http.Headers;
using Azure.Core;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>
/// Adds "Authorization: Bearer …" to every request. The token is cached until five minutes before it
/// expires and refreshed then (tokens last about an hour; webapi-notes §5.2), so a long run never sends an
/// expired token and a short one asks the identity provider once. Sits inside the retry handler, so a
/// retried request gets a fresh token when the old one is about to expire.
/// </summary>
internal sealed class BearerTokenHandler : DelegatingHandler
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _context;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    public BearerTokenHandler(TokenCredential credential, string scope, TimeProvider time)
    {
        _credential = credential;
        _context = new TokenRequestContext([scope]);
        _time = time;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && cached.ExpiresOn - RefreshMargin > _time.GetUtcNow())
        {
            return cached.Token;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } again && again.ExpiresOn - RefreshMargin > _time.GetUtcNow())
            {
                return again.Token;
            }

            var fresh = await _credential.GetTokenAsync(_context, cancellationToken).ConfigureAwait(false);
            _token = fresh;
            return fresh.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
