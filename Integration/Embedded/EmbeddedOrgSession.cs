using System.Globalization;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;

namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The embedded org for one console invocation: opened on first need (when a command finds no connection, or by
/// `emulator serve` and `demo`), served to the console's Web API client through the emulator's in-memory
/// <see cref="HttpMessageHandler"/>, and saved back when the command ends if anything was written.
/// </summary>
internal sealed class EmbeddedOrgSession : IDisposable
{
    /// <summary>The URL the console's client uses for the in-memory org (no socket is opened).</summary>
    public static Uri InMemoryUrl { get; } = new(DataverseWebApi.DefaultBaseAddress.GetLeftPart(UriPartial.Authority) + "/");

    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly string? _solutionFolder;
    private readonly object _gate = new();
    private readonly object _saveGate = new();
    private EmbeddedOrg? _org;
    private int _changed;
    private int _inFlight;
    private bool _closing;
    private TaskCompletionSource? _drained;

    public EmbeddedOrgSession(string folder, TextWriter output, TimeProvider time, string? solutionFolder = null)
    {
        Folder = folder;
        _out = output;
        _time = time;
        _solutionFolder = solutionFolder;
    }

    /// <summary>The folder of org.json and its lock.</summary>
    public string Folder { get; }

    /// <summary>True once a command may have changed the org (a non-GET request reached it, or <see cref="MarkChanged"/>).</summary>
    public bool Changed => Volatile.Read(ref _changed) != 0;

    /// <summary>Opens (or creates and seeds) the org once and prints the line that says which org is in use.</summary>
    public EmbeddedOrg Open()
    {
        lock (_gate)
        {
            if (_org is not null)
            {
                return _org;
            }

            if (_closing)
            {
                throw new InvalidOperationException("The embedded local org of this command is already closed.");
            }

            var org = EmbeddedOrg.Open(Folder, _time, _solutionFolder);
            _org = org;
            _out.WriteLine(Describe(org));
            return org;
        }
    }

    /// <summary>The <see cref="Commands.CliContext.EmbeddedOrg"/> hook: the base URL and the in-memory transport.</summary>
    public Task<(Uri Url, HttpMessageHandler Transport)> ConnectAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var org = Open();

        // A fresh handler chain per client: the client owns and disposes it.
        HttpMessageHandler handler = new ChangeTrackingHandler(this) { InnerHandler = DataverseWebApi.CreateHandler(org.Org) };
        return Task.FromResult((InMemoryUrl, handler));
    }

    /// <summary>Saves org.json now (atomically) and clears the changed flag; returns the file written.</summary>
    public string Save()
    {
        var org = Open();
        lock (_saveGate)
        {
            org.Save();
        }
        Interlocked.Exchange(ref _changed, 0);
        return org.StatePath;
    }

    /// <summary>
    /// Saves org.json after a write request has run, before its answer reaches the command: one save at a time
    /// (atomic temp file and rename), so the file on disk always holds every write whose answer a command has seen.
    /// </summary>
    private void SaveAfterWrite()
    {
        lock (_saveGate)
        {
            var org = _org;
            if (org is not null)
            {
                org.Save();
            }
        }
    }

    /// <summary>Records that the org was (or may have been) written, so <see cref="CompleteAsync"/> saves it.</summary>
    public void MarkChanged() => Interlocked.Exchange(ref _changed, 1);

    /// <summary>
    /// Ends the invocation: refuses further requests, waits for the ones in flight, saves org.json if the org was
    /// opened and changed, then releases the lock. Returns the exit code to report: the command's, or 1 with a
    /// message when the save failed (the previous state is kept).
    /// </summary>
    /// <remarks>
    /// After Ctrl+C, System.CommandLine stops waiting for a command after its termination timeout (two seconds by
    /// default) while the command may still be sending requests. Draining first makes the saved state hold every
    /// write whose success a command saw (and may have journalled); a write attempted later fails, so no run
    /// journal can record a change the saved org lacks.
    /// </remarks>
    public async Task<int> CompleteAsync(int exitCode, TextWriter error)
    {
        EmbeddedOrg? org;
        Task drained;
        lock (_gate)
        {
            org = _org;
            _closing = true;
            drained = _inFlight == 0 ? Task.CompletedTask : (_drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        if (org is null)
        {
            return exitCode;
        }

        await drained.ConfigureAwait(false);
        try
        {
            if (Changed)
            {
                org.Save();
                Interlocked.Exchange(ref _changed, 0);
            }

            return exitCode;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"partnerguard: the embedded local org could not be saved to {org.StatePath}: {failure.Message} The previous state is unchanged.").ConfigureAwait(false);
            return exitCode == ExitCodes.Done ? ExitCodes.BadInput : exitCode;
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _org?.Dispose();
            _org = null;
        }
    }

    private static string Describe(EmbeddedOrg org)
    {
        var where = org.Folder + Path.DirectorySeparatorChar;
        var mode = org.EnforcementMode();
        if (org.Seeded is { } seeded)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Org: the embedded local org in {where}, created now and seeded with the PartnerGuard demo data set ({seeded.Customers:N0} customers, {seeded.Partners} partners, {seeded.OpenDeals} open deals, {seeded.Rules} direct sales rules; enforcement mode {mode}). It is a local emulator with demo data, not a Dataverse environment; pass --connection to use one.");
        }

        return $"Org: the embedded local org in {where} (demo data; enforcement mode {mode}). It is a local emulator, not a Dataverse environment; pass --connection to use one.";
    }

    private bool TryEnter()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _inFlight++;
            return true;
        }
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_inFlight == 0 && _closing)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Counts the requests in flight (see <see cref="CompleteAsync"/>), refuses new ones once the command has ended,
    /// and marks the session changed when a request that can write (anything but GET and HEAD) goes to the org.
    /// </summary>
    private sealed class ChangeTrackingHandler(EmbeddedOrgSession session) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!session.TryEnter())
            {
                throw new HttpRequestException("The embedded local org is closed: the command has ended and its changes are saved; nothing more is written.");
            }

            try
            {
                var writes = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
                if (writes)
                {
                    session.MarkChanged();
                }

                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (writes)
                {
                    // Saved before the runner sees the answer, so org.json holds every change a journal outcome can
                    // record, even after a hard kill (issue #12 defect 1).
                    session.SaveAfterWrite();
                }

                return response;
            }
            finally
            {
                session.Exit();
            }
        }
    }
}
