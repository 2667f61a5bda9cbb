using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>
/// Runs the real console commands against an emulator org served through the in-memory Web API handler (the
/// console's embedded-org hook), in a temp folder, with captured output and the scenario's clock.
/// </summary>
internal sealed class TransparencyCli : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public TransparencyCli(DataverseOrg? org = null)
    {
        Org = org ?? Scenario.CreateOrg();
    }

    public DataverseOrg Org { get; }

    public TempDirectory Folder { get; } = new();

    public string StandardOutput => _out.ToString();

    public string StandardError => _error.ToString();

    public string Path(params string[] parts) => System.IO.Path.Combine([Folder.Path, .. parts]);

    public async Task<int> RunAsync(params string[] args)
    {
        _out.GetStringBuilder().Clear();
        _error.GetStringBuilder().Clear();
        var scrubber = new SecretScrubber();
        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(_out, scrubber),
            Error = new ScrubbingWriter(_error, scrubber),
            Environment = _ => null,
            Time = new VirtualTimeProvider(new DateTimeOffset(Scenario.Now)),
            WorkingDirectory = Folder.Path,
            WebApi = new WebApiOptions { AttemptTimeout = null, MaxPageSize = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
            EmbeddedOrg = _ => Task.FromResult((new Uri("http://localhost/"), DataverseWebApi.CreateHandler(Org))),
        };
        return await PartnerGuardCli.InvokeAsync(args, context);
    }

    /// <summary>Every file under the temp folder, relative paths.</summary>
    public IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Folder.Path, "*", SearchOption.AllDirectories).Select(p => System.IO.Path.GetRelativePath(Folder.Path, p)).Order(StringComparer.Ordinal).ToList();

    public void Dispose() => Folder.Dispose();
}
