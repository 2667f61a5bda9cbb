using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>Adapts <see cref="HttpRequestMessage"/> to the protocol with no network in between.</summary>
internal sealed class InMemoryWebApiHandler : HttpMessageHandler
{
    private readonly DataverseWebApiServer _server;

    public InMemoryWebApiHandler(DataverseWebApiServer server) => _server = server;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            headers.AddRange(header.Value.Select(v => new KeyValuePair<string, string>(header.Key, v)));
        }

        var body = Array.Empty<byte>();
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers.Add(new(header.Key, string.Join(", ", header.Value)));
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var result = await _server.HandleAsync(new WebApiRequest(request.Method.Method, uri, headers, body), cancellationToken).ConfigureAwait(false);
        if (result.AnswerLost)
        {
            // What HttpClient reports when the server closes the connection before its response.
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (an answer lost by the PartnerGuard emulator after the request ran).");
        }

        var response = new HttpResponseMessage((HttpStatusCode)result.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(result.Body),
        };
        if (result.ContentType is not null)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(result.ContentType);
        }

        foreach (var (name, value) in result.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }
}
