using System.Diagnostics;
using System.Text;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Runs real `partnerguard` commands in this process against an emulator on loopback: the console's own parsing,
/// Web API client, retry policy, DOP hint, planner, journal and runner, over real HTTP. Only the transport is
/// the benchmark's: a socket handler under a <see cref="RequestCounter"/>. Without a token no credential is used (the
/// emulator runs tokenless callers as its administrator); with one, every request carries it as its bearer token, so
/// the emulator runs it as the application user that token names (<see cref="EmulatorSetup.Users"/>). Console output
/// goes to a log file in the work folder.
/// </summary>
internal sealed class ConsoleDriver : IDisposable
{
    private readonly string _connection;
    private readonly string _workFolder;
    private readonly StreamWriter _log;
    private readonly string? _token;

    public ConsoleDriver(Uri apiRoot, string workFolder, string? token = null)
    {
        _token = token;
        _workFolder = workFolder;
        Directory.CreateDirectory(workFolder);
        Counter = new RequestCounter(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 });
        _connection = $"AuthType=ClientSecret;Url={apiRoot.GetLeftPart(UriPartial.Authority)};ClientId=5c0d0b1e-0000-4000-8000-000000000001;ClientSecret=benchmark-not-a-secret;TenantId=5c0d0b1e-0000-4000-8000-000000000002";
        LogPath = Path.Combine(workFolder, "console.log");
        _log = new StreamWriter(LogPath, append: false, new UTF8Encoding(false));
    }

    public RequestCounter Counter { get; }

    public string LogPath { get; }

    public string Resolve(string relative) => Path.Combine(_workFolder, relative);

    /// <summary>Plans every eligible account: `partnerguard plan --strategy balanced --run-id ID --out CSV`.</summary>
    public Task<TimeSpan> PlanAsync(string runId, string csv) =>
        RunAsync("plan", "--strategy", "balanced", "--run-id", runId, "--out", csv);

    /// <summary>Runs one command; returns its wall time, and throws with the log's tail unless it exits 0.</summary>
    public async Task<TimeSpan> RunAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var code = await InvokeAsync(args).ConfigureAwait(false);
        clock.Stop();
        return code == ExitCodes.Done ? clock.Elapsed : throw Failed(args[0], code);
    }

    private InvalidOperationException Failed(string command, int code) =>
        new($"partnerguard {command} exited {code}:{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(15))}");

    private async Task<int> InvokeAsync(string[] args)
    {
        var context = new CliContext
        {
            Scrubber = new SecretScrubber(),
            Out = _log,
            Error = _log,
            WorkingDirectory = _workFolder,
            Transport = Counter,
            Credential = _ => _token is null ? null : new StaticToken(_token),
            Environment = _ => null,
        };
        await _log.WriteLineAsync($"> partnerguard {string.Join(' ', args)}").ConfigureAwait(false);
        var code = await PartnerGuardCli.InvokeAsync([.. args, "--connection", _connection], context).ConfigureAwait(false);
        await _log.FlushAsync().ConfigureAwait(false);
        return code;
    }

    private sealed class StaticToken(string token) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.MaxValue);

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    public void Dispose()
    {
        _log.Dispose();
        Counter.Dispose();
    }
}
