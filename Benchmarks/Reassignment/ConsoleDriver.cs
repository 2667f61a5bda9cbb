using System.Diagnostics;
using System.Text;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Commands;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Planning;
using PartnerGuard.Integration.Plans;
using PartnerGuard.Integration.WebApi;
using PartnerGuard.Plugins.Policy;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Runs real `partnerguard` commands in this process against an emulator on loopback: the console's own parsing,
/// Web API client, retry policy, DOP hint, planner, journal and runner, over real HTTP. Only the transport is
/// the benchmark's: a plain socket handler under a <see cref="RequestCounter"/>. No credential is used (the
/// emulator runs tokenless callers as its administrator). Console output goes to a log file in the work folder.
/// </summary>
internal sealed class ConsoleDriver : IDisposable
{
    private readonly string _connection;
    private readonly string _workFolder;
    private readonly StreamWriter _log;

    private readonly Uri _apiRoot;

    public ConsoleDriver(Uri apiRoot, string workFolder)
    {
        _apiRoot = apiRoot;
        _workFolder = workFolder;
        Directory.CreateDirectory(workFolder);
        Shim = new EmulatorQueryShim(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 });
        Counter = new RequestCounter(Shim);
        _connection = $"AuthType=ClientSecret;Url={apiRoot.GetLeftPart(UriPartial.Authority)};ClientId=5c0d0b1e-0000-4000-8000-000000000001;ClientSecret=benchmark-not-a-secret;TenantId=5c0d0b1e-0000-4000-8000-000000000002";
        LogPath = Path.Combine(workFolder, "console.log");
        _log = new StreamWriter(LogPath, append: false, new UTF8Encoding(false));
    }

    public RequestCounter Counter { get; }

    /// <summary>Rewrites the query shapes the emulator does not serve yet (In(...), $expand) into FetchXML.</summary>
    public EmulatorQueryShim Shim { get; }

    public string LogPath { get; }

    public string Resolve(string relative) => Path.Combine(_workFolder, relative);

    /// <summary>
    /// Plans every eligible account with `partnerguard plan --strategy balanced`. When the server refuses the
    /// command's settings query (the emulator answers $expand with 400), plans with the same console classes the
    /// command composes (PlanningSource candidates and rules over the Web API, PlanBuilder) and the documented
    /// default settings, and says so in <see cref="PlannedInProcess"/>.
    /// </summary>
    public async Task<TimeSpan> PlanAsync(string runId, string csv)
    {
        var clock = Stopwatch.StartNew();
        var code = await InvokeAsync(["plan", "--strategy", "balanced", "--run-id", runId, "--out", csv]).ConfigureAwait(false);
        if (code == ExitCodes.Done)
        {
            return clock.Elapsed;
        }

        if (!File.ReadLines(LogPath).TakeLast(3).Any(l => l.Contains("$expand", StringComparison.Ordinal)))
        {
            throw Failed("plan", code);
        }

        PlannedInProcess = true;
        clock.Restart();
        var options = new WebApiOptions();
        var dop = new DopHint();
        // Not disposed: disposing the client would dispose the shared counting transport under it.
        var http = DataverseHttp.CreateClient(_apiRoot, options, dop, TimeProvider.System, credential: null, Counter);
        var client = new DataverseWebApiClient(http, options, dop);
        await client.WhoAmIAsync(CancellationToken.None).ConfigureAwait(false);
        var source = new PlanningSource(client);
        var channel = ChannelSettingsParser.Parse(new Dictionary<string, string?>());
        var rules = await source.ReadRulesAsync(CancellationToken.None).ConfigureAwait(false);
        var (accounts, partners) = await source.ReadCandidatesAsync(channel, CancellationToken.None).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var created = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var result = PlanBuilder.Build(accounts, partners, new PlanSettings(runId, created, PlanStrategy.Balanced), new PolicyDirectSalesCoverage(rules, channel, created));
        PlanFiles.Write(result.Plan, Resolve(csv));
        await _log.WriteLineAsync($"(in-process plan: {result.Plan.Rows.Count} accounts, {result.Unplanned.Count} left out)").ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>True once <see cref="PlanAsync"/> had to plan in process because the server refused the command's query.</summary>
    public bool PlannedInProcess { get; private set; }

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
            Credential = _ => null,
            Environment = _ => null,
        };
        await _log.WriteLineAsync($"> partnerguard {string.Join(' ', args)}").ConfigureAwait(false);
        var code = await PartnerGuardCli.InvokeAsync([.. args, "--connection", _connection], context).ConfigureAwait(false);
        await _log.FlushAsync().ConfigureAwait(false);
        return code;
    }

    public void Dispose()
    {
        _log.Dispose();
        Counter.Dispose();
    }
}
