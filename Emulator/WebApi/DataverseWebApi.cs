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

/// <summary>
/// Entry point of the emulator's Dataverse Web API (see Emulator/WebApi/README.md). One protocol
/// (<see cref="DataverseWebApiServer"/>), two hosts:
/// <list type="bullet">
/// <item><see cref="CreateHandler"/>: an <see cref="HttpMessageHandler"/> with no socket, for an <see cref="HttpClient"/> in process;</item>
/// <item><see cref="StartAsync"/>: Kestrel on a loopback address, for clients in other processes.</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// var org = DataverseOrg.Create();
/// using var http = new HttpClient(DataverseWebApi.CreateHandler(org)) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
/// var json = await http.GetStringAsync("WhoAmI");
///
/// await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0");
/// // host.BaseAddress is http://127.0.0.1:{port}/api/data/v9.2/
/// </code>
/// </example>
public static class DataverseWebApi
{
    /// <summary>The base address used with the in-memory handler: http://localhost/api/data/v9.2/.</summary>
    public static Uri DefaultBaseAddress { get; } = new("http://localhost/api/data/v9.2/");

    /// <summary>An in-memory handler serving the org's Web API (no socket).</summary>
    public static HttpMessageHandler CreateHandler(DataverseOrg org, DataverseWebApiOptions? options = null)
        => new InMemoryWebApiHandler(new DataverseWebApiServer(org, options));

    /// <summary>An in-memory handler over an existing protocol instance (shares its throttling state).</summary>
    public static HttpMessageHandler CreateHandler(DataverseWebApiServer server) => new InMemoryWebApiHandler(server);

    /// <summary>
    /// Serves the org's Web API with Kestrel on <paramref name="url"/> (loopback only, e.g. http://127.0.0.1:0 for a free
    /// port, or the value of a --urls option). Dispose the host to stop it.
    /// </summary>
    public static async Task<DataverseWebApiHost> StartAsync(DataverseOrg org, string url, DataverseWebApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(org);
        var uri = new Uri(url);
        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"The emulator listens on loopback addresses only (127.0.0.1, [::1], localhost); '{url}' is not one.", nameof(url));
        }

        var server = new DataverseWebApiServer(org, options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = new[] { "--urls", url } });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 256L * 1024 * 1024);
        var app = builder.Build();
        app.Run(context => ServeAsync(server, context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetService(typeof(IServer)) is IServer s
            ? s.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            : null;
        var baseAddress = new Uri(new Uri((address ?? url).TrimEnd('/') + "/"), "api/data/v9.2/");
        return new DataverseWebApiHost(app, server, baseAddress);
    }

    private static async Task ServeAsync(DataverseWebApiServer server, HttpContext context)
    {
        var http = context.Request;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in http.Headers)
        {
            foreach (var value in header.Value)
            {
                if (value is not null)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        using var body = new MemoryStream();
        await http.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var uri = new Uri($"{http.Scheme}://{http.Host}{http.PathBase}{http.Path}{http.QueryString}");
        var response = await server.HandleAsync(new WebApiRequest(http.Method, uri, headers, body.ToArray()), context.RequestAborted).ConfigureAwait(false);
        if (response.AnswerLost)
        {
            context.Abort(); // the connection closes without a response: the client cannot tell whether the request ran
            return;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        if (response.Body.Length > 0)
        {
            await context.Response.Body.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
