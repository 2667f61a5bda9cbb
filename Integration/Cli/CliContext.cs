using Azure.Core;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// Everything a command needs from the outside world, so tests can run the real commands with captured
/// output, a fake clock, a fake Dataverse transport and a fake credential.
/// </summary>
internal sealed class CliContext
{
    public required SecretScrubber Scrubber { get; init; }

    /// <summary>Standard output, through the secret scrubber.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error, through the secret scrubber.</summary>
    public required TextWriter Error { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Relative paths (plans, journals, reports) resolve against this folder.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>True when a person sits at a terminal (device-code sign-in and progress need one).</summary>
    public bool CanPrompt { get; init; }

    /// <summary>True when standard output is a terminal: apply and undo then draw a progress bar instead of progress lines.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>The console the progress bar is drawn on when <see cref="OutputIsTerminal"/>; null for Spectre's own (standard output). Tests give one that writes to a string.</summary>
    public Spectre.Console.IAnsiConsole? Terminal { get; init; }

    /// <summary>Where a confirmation answer is read from (standard input in a console); used only when <see cref="CanPrompt"/>.</summary>
    public TextReader In { get; init; } = TextReader.Null;

    public WebApiOptions WebApi { get; init; } = new();

    /// <summary>The HTTP transport to Dataverse; null for the network. Tests and the embedded org set it.</summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>Replaces the Azure.Identity credential (tests); null for the real one.</summary>
    public Func<ConnectionSettings, TokenCredential?>? Credential { get; init; }

    /// <summary>
    /// The embedded local org used when no connection is given: its base URL and in-memory transport.
    /// Null until the emulator host provides it; the commands then ask for --connection.
    /// </summary>
    public Func<CancellationToken, Task<(Uri Url, HttpMessageHandler Transport)>>? EmbeddedOrg { get; init; }

    /// <summary>
    /// The embedded local org under ./.partnerguard/ (Embedded/): `emulator serve` and `demo` use it directly, and
    /// <see cref="PartnerGuardCli.InvokeAsync"/> saves it and releases its lock when the command ends. Null in tests that
    /// do not use it.
    /// </summary>
    public Embedded.EmbeddedOrgSession? Embedded { get; init; }

    /// <summary>What the use cases (App/) are given: output, error, clock and scrubber, and nothing of the command line.</summary>
    public App.UseCaseContext UseCase => new(Out, Error, Time, Scrubber.Scrub);

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(WorkingDirectory, path));

    /// <summary>The context of a real console process.</summary>
    public static CliContext ForConsole()
    {
        var scrubber = new SecretScrubber();
        var output = new ScrubbingWriter(Console.Out, scrubber);
        var embedded = new Integration.Embedded.EmbeddedOrgSession(Integration.Embedded.EmbeddedOrg.FolderFor(Directory.GetCurrentDirectory()), output, TimeProvider.System);
        return new CliContext
        {
            Scrubber = scrubber,
            Out = output,
            Error = new ScrubbingWriter(Console.Error, scrubber),
            In = Console.In,
            OutputIsTerminal = !Console.IsOutputRedirected,
            CanPrompt = !Console.IsInputRedirected && !Console.IsErrorRedirected,
            EmbeddedOrg = embedded.ConnectAsync,
            Embedded = embedded,
        };
    }
}
