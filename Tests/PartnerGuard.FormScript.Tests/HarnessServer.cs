using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// One loopback HTTP origin for a browser test: the harness page (Harness/), the web resources
/// (solution/pending/WebResources, later solution/src/WebResources) and the Web API under /api/data/v9.2/, which
/// today is answered by a <see cref="StandInCheckChannel"/> handed in by the test.
/// </summary>
internal sealed class HarnessServer : IDisposable
{
    public const string WebApiPath = "/api/data/v9.2/";

    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, Task> webApi;
    private readonly Task loop;

    public HarnessServer(Func<HttpListenerContext, Task> webApi)
    {
        this.webApi = webApi;
        var port = FreePort();
        Origin = new Uri($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add(Origin.AbsoluteUri);
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public Uri Origin { get; }

    public Uri WebApiBase => new(Origin, WebApiPath);

    public Uri Page(string scriptPath, string scenarioJson)
    {
        var scenario = Convert.ToBase64String(Encoding.UTF8.GetBytes(scenarioJson)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Uri(Origin, "harness/index.html?script=" + Uri.EscapeDataString("/webresources/" + scriptPath)
            + "&api=" + Uri.EscapeDataString(WebApiBase.AbsoluteUri) + "&scenario=" + scenario);
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.GetAwaiter().GetResult();
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Each request on its own task: a test may hold one answer back until a later request is answered.
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        try
        {
            if (path.StartsWith(WebApiPath, StringComparison.Ordinal))
            {
                await webApi(context);
            }
            else if (path.StartsWith("/harness/", StringComparison.Ordinal))
            {
                await ServeFileAsync(context, FormScriptPaths.Harness, path["/harness/".Length..]);
            }
            else if (path.StartsWith("/webresources/", StringComparison.Ordinal))
            {
                await ServeFileAsync(context, FormScriptPaths.WebResources, path["/webresources/".Length..]);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static async Task ServeFileAsync(HttpListenerContext context, string root, string relative)
    {
        var file = Path.GetFullPath(Path.Combine(root, Uri.UnescapeDataString(relative)));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = Path.GetExtension(file) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => "application/octet-stream",
        };
        var bytes = await File.ReadAllBytesAsync(file);
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
