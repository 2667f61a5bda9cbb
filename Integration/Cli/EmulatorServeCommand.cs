using System.CommandLine;
using System.Runtime.InteropServices;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// `partnerguard emulator serve`: the embedded local org (./.partnerguard/) over the Dataverse Web API on a loopback
/// address until Ctrl+C, for other tools and for trying the console's --connection path; the org is saved on exit.
/// </summary>
internal static class EmulatorServeCommand
{
    /// <summary>The line printed once the server accepts requests; scripts and tests wait for it.</summary>
    public const string ReadyLine = "Ready. Press Ctrl+C to stop; the org is saved when the server stops.";

    public static Command Create(CliContext context)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "The loopback address to listen on, e.g. http://127.0.0.1:5555 (port 0 picks a free port).",
            DefaultValueFactory = _ => "http://127.0.0.1:5555",
            HelpName = "url",
        };
        var badDay = new ServeFaultOptions();
        var serve = new Command("serve", "Serve the embedded local org (./.partnerguard/, demo data) as the Dataverse Web API on a loopback address until Ctrl+C. Connect the console with --connection \"AuthType=Emulator;Url=http://127.0.0.1:PORT;User=NAME\" (User optional: the administrator).")
        {
            urls,
        };
        badDay.AddTo(serve);
        serve.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, token => ServeAsync(context, parse.GetValue(urls)!, badDay.Bind(parse), token), cancellationToken));
        return new Command("emulator", "The local Dataverse emulator behind the embedded default org.") { serve };
    }

    private static async Task<int> ServeAsync(CliContext context, string url, DataverseWebApiOptions options, CancellationToken stop)
    {
        var session = context.Embedded
            ?? throw new UsageException("The embedded local org is not available in this context.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--urls must be an http URL on a loopback address, e.g. http://127.0.0.1:5555; got '{url}'.");
        }

        if (!uri.IsLoopback)
        {
            throw new UsageException($"--urls must be a loopback address (127.0.0.1, [::1] or localhost): the emulator has no sign-in and is not for the network; got '{url}'.");
        }

        // Ctrl+C (SIGINT) and SIGTERM stop the server here, whichever component sees the signal first: the web host
        // stops Kestrel on these signals on its own, but only this token ends the command and saves the org.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopServing);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopServing);
        stop = stopping.Token;

        var org = session.Open();

        // Clients in other processes may write anything: the org is saved when the server stops.
        session.MarkChanged();
        DataverseWebApiHost host;
        try
        {
            host = await DataverseWebApi.StartAsync(org.Org, url, options, stop).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException)
        {
            // Kestrel reports an address in use as an IOException ("Failed to bind to address …").
            throw new UsageException($"Could not listen on {url}: {error.Message} Choose another port with --urls (port 0 picks a free one).");
        }

        await using (host.ConfigureAwait(false))
        {
            await context.Out.WriteLineAsync($"Serving the Dataverse Web API at {host.BaseAddress} (no sign-in: requests without a bearer token act as the administrator; a bearer token names a user by domainname or full name).").ConfigureAwait(false);
            await context.Out.WriteLineAsync(ServeFaultOptions.Describe(options)).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Try: curl {host.BaseAddress}WhoAmI").ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Connect the console: --connection \"AuthType=Emulator;Url={host.BaseAddress.GetLeftPart(UriPartial.Authority)}\" (add ;User=NAME to act as that user).").ConfigureAwait(false);
            await context.Out.WriteLineAsync(ReadyLine).ConfigureAwait(false);
            await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl+C: stop serving and save below.
            }
        }

        var saved = session.Save();
        await context.Out.WriteLineAsync($"Stopped. The org is saved in {saved}.").ConfigureAwait(false);
        return ExitCodes.Done;

        void StopServing(PosixSignalContext signal)
        {
            // Keep the process alive until the org is saved; the command then ends normally.
            signal.Cancel = true;
            stopping.Cancel();
        }
    }
}
