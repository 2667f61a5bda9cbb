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

/// <summary>A running loopback host; dispose to stop it.</summary>
public sealed class DataverseWebApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal DataverseWebApiHost(WebApplication app, DataverseWebApiServer server, Uri baseAddress)
    {
        _app = app;
        Server = server;
        BaseAddress = baseAddress;
    }

    /// <summary>The Web API root, e.g. http://127.0.0.1:5123/api/data/v9.2/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The protocol instance (options, throttling state).</summary>
    public DataverseWebApiServer Server { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
