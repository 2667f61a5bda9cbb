extern alias PluginAssembly;

using System.Diagnostics;
using System.Globalization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>What the emulator process holds and how it limits its callers.</summary>
/// <param name="Latency">Added by the emulator to every request before it runs (its Faults.Latency): a stand-in for the network and platform overhead a real request pays.</param>
/// <param name="DopHint">The x-ms-dop-hint the emulator sends; null keeps its default (8).</param>
/// <param name="Users">Application users created besides the administrator, signed in with the bearer token <see cref="Token"/>(1..Users); service protection counts each user's requests on its own.</param>
/// <param name="OperationMs">Added by the emulator after each request, once per operation it held (its Faults.OperationLatency): a stand-in for the server's own time per change.</param>
internal sealed record EmulatorSetup(int Customers, int Partners, int? RequestLimit = null, TimeSpan? Window = null, int LatencyMs = 0, int? DopHint = null, int Users = 0, int OperationMs = 0, int StatementDeals = 0)
{
    /// <summary>The bearer token of application user <paramref name="user"/> (1-based).</summary>
    public static string Token(int user) => "bench-user-" + Text(user);

    public string[] ToArguments()
    {
        var args = new List<string> { EmulatorProcess.Mode, "--accounts", Text(Customers), "--partners", Text(Partners) };
        if (RequestLimit is { } limit && Window is { } window)
        {
            args.AddRange(["--request-limit", Text(limit), "--window-ms", Text((int)window.TotalMilliseconds)]);
        }

        if (LatencyMs > 0)
        {
            args.AddRange(["--latency-ms", Text(LatencyMs)]);
        }

        if (DopHint is { } hint)
        {
            args.AddRange(["--dop-hint", Text(hint)]);
        }

        if (StatementDeals > 0)
        {
            args.AddRange(["--statement-deals", Text(StatementDeals)]);
        }

        if (Users > 0)
        {
            args.AddRange(["--users", Text(Users)]);
        }

        if (OperationMs > 0)
        {
            args.AddRange(["--operation-ms", Text(OperationMs)]);
        }

        return args.ToArray();
    }

    public static EmulatorSetup Parse(IReadOnlyList<string> args)
    {
        int? Get(string name)
        {
            var at = args.ToList().IndexOf(name);
            return at >= 0 && at + 1 < args.Count ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : null;
        }

        var window = Get("--window-ms");
        return new EmulatorSetup(
            Get("--accounts") ?? throw new ArgumentException("--accounts is required"),
            Get("--partners") ?? throw new ArgumentException("--partners is required"),
            Get("--request-limit"),
            window is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Get("--latency-ms") ?? 0,
            Get("--dop-hint"),
            Get("--users") ?? 0,
            Get("--operation-ms") ?? 0,
            Get("--statement-deals") ?? 0);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The emulator in its own process, so the client's memory is measured alone: the benchmark starts this same
/// executable in <see cref="Mode"/>, which seeds the org in process (no HTTP), serves it with Kestrel on 127.0.0.1
/// (a free port) and prints the Web API root. Closing its standard input stops it.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    public const string Mode = "reassignment-emulator";
    private const string ReadyPrefix = "listening ";

    private readonly Process _process;

    private EmulatorProcess(Process process, Uri apiRoot, string log)
    {
        _process = process;
        ApiRoot = apiRoot;
        StartupLog = log;
    }

    /// <summary>The Web API root, e.g. http://127.0.0.1:40123/api/data/v9.2/.</summary>
    public Uri ApiRoot { get; }

    /// <summary>The emulator's own lines before it listened (seeding time).</summary>
    public string StartupLog { get; }

    public static async Task<EmulatorProcess> StartAsync(EmulatorSetup setup, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown."),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(info.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Started as `dotnet PartnerGuard.Benchmarks.dll`: start the child the same way.
            info.ArgumentList.Add(typeof(EmulatorProcess).Assembly.Location);
        }

        foreach (var arg in setup.ToArguments())
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("The emulator process did not start.");
        var log = new System.Text.StringBuilder();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
            {
                return new EmulatorProcess(process, new Uri(line[ReadyPrefix.Length..]), log.ToString().TrimEnd());
            }

            log.AppendLine(line);
        }

        var error = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException($"The emulator process exited before listening.{Environment.NewLine}{log}{error}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(patience.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>The child's entry point: seed, serve, print the address, wait for standard input to close.</summary>
    public static async Task<int> ServeAsync(IReadOnlyList<string> args)
    {
        var setup = EmulatorSetup.Parse(args);
        var clock = Stopwatch.StartNew();
        var org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = PartnerGuard.Emulator.Pipeline.PluginTypeResolver.FromAssemblies(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly) });
        org.LoadSolution(SolutionFolder());
        if (setup.StatementDeals > 0)
        {
            Statements.StatementData.SeedInto(org, setup.Customers, setup.Partners, setup.StatementDeals);
        }
        else
        {
            ReassignmentData.SeedInto(org, setup.Customers, setup.Partners);
        }

        Console.WriteLine($"seeded {setup.Customers:N0} customers and {setup.Partners} partners in process in {clock.Elapsed.TotalSeconds:0.0} s");

        var protection = setup.RequestLimit is { } limit && setup.Window is { } window
            ? new ServiceProtectionOptions().Compressed(TimeSpan.FromMinutes(5) / window, limit)
            : new ServiceProtectionOptions { Enabled = false };
        var users = Enumerable.Range(1, setup.Users).ToDictionary(EmulatorSetup.Token, i => org.CreateUser($"Benchmark application user {i}"), StringComparer.Ordinal);

        // The emulator enforces security roles: the application users hold System Administrator, so the figures measure
        // the write path and service protection, not a role that may still be changing.
        foreach (var user in users.Values)
        {
            org.GetService().Associate("systemuser", user, new Relationship("systemuserroles_association"), new EntityReferenceCollection { new EntityReference("role", org.SystemAdministratorRoleId) });
        }

        var options = new DataverseWebApiOptions
        {
            ServiceProtection = protection,
            Faults = new FaultInjectionOptions { Latency = TimeSpan.FromMilliseconds(setup.LatencyMs), OperationLatency = TimeSpan.FromMilliseconds(setup.OperationMs) },
            DopHint = setup.DopHint ?? new DataverseWebApiOptions().DopHint,
            Tokens = users,
            BypassAllowedUserIds = [org.AdministratorId, .. users.Values],
        };
        await using var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0", options).ConfigureAwait(false);
        Console.WriteLine(ReadyPrefix + host.BaseAddress);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The repository's solution/src, found above the benchmark's output folder.</summary>
    private static string SolutionFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "solution", "src");
            if (File.Exists(Path.Combine(candidate, "Other", "Solution.xml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"solution/src was not found above {AppContext.BaseDirectory}; run the benchmark from a checkout.");
    }
}
