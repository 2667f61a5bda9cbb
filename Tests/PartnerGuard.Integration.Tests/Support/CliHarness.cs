using Azure.Core;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>Runs the real console commands in a temp folder with captured output, a fixed clock and a fake org.</summary>
internal sealed class CliHarness : IDisposable
{
    public const string Secret = "S3cr3t-Do-Not-Print-42";

    public const string Connection =
        "AuthType=ClientSecret;Url=https://contoso.crm.dynamics.com;ClientId=11111111-2222-3333-4444-555555555555;ClientSecret=" + Secret + ";TenantId=72f988bf-86f1-41af-91ab-2d7cd011db47";

    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public CliHarness()
    {
        Folder = new TempDirectory();
    }

    public TempDirectory Folder { get; }

    public FakeOrg Org { get; } = new();

    public Dictionary<string, string> Environment { get; } = [];

    public Func<ConnectionSettings, TokenCredential?> Credential { get; set; } = _ => new StaticCredential();

    public DateTimeOffset Now { get; set; } = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Pretend a person is at a terminal; <see cref="Input"/> is what they type.</summary>
    public bool Interactive { get; set; }

    public string Input { get; set; } = string.Empty;

    /// <summary>Pretend standard output is a terminal: the progress bar is drawn on this console.</summary>
    public Spectre.Console.IAnsiConsole? Terminal { get; set; }

    public string StandardOutput => _out.ToString();

    public string StandardError => _error.ToString();

    public string AllOutput => StandardOutput + StandardError;

    public async Task<int> RunAsync(params string[] args)
    {
        var scrubber = new SecretScrubber();
        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(_out, scrubber),
            Error = new ScrubbingWriter(_error, scrubber),
            Environment = name => Environment.TryGetValue(name, out var value) ? value : null,
            Time = new VirtualTimeProvider(Now),
            WorkingDirectory = Folder.Path,
            Transport = Org,
            Credential = Credential,
            CanPrompt = Interactive,
            OutputIsTerminal = Terminal is not null,
            Terminal = Terminal,
            In = new StringReader(Input),
            WebApi = new WebApiOptions { AttemptTimeout = null, MaxPageSize = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        return await PartnerGuardCli.InvokeAsync(args, context);
    }

    /// <summary>Every file the commands left in the temp folder, with its text.</summary>
    public IEnumerable<(string Path, string Text)> Files() =>
        Directory.EnumerateFiles(Folder.Path, "*", SearchOption.AllDirectories).Select(p => (p, File.ReadAllText(p)));

    public void Dispose() => Folder.Dispose();

    internal sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
