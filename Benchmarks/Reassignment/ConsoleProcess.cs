using System.Diagnostics;
using System.Globalization;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// One `partnerguard` command in a process of its own, as one application user: the benchmark starts this same
/// executable in <see cref="Mode"/> (<c>reassignment-console API-ROOT TOKEN FOLDER -- command args…</c>), which runs the
/// command through a <see cref="ConsoleDriver"/> and prints its requests on the wire as the last line
/// (<c>requests R reads G writes W throttled T failed F</c>). So N shards are N processes, as N pods or N CI jobs
/// would be, each with its own runtime, connection pool and journal.
/// </summary>
internal static class ConsoleProcess
{
    public const string Mode = "reassignment-console";
    private const string CountsPrefix = "requests ";

    /// <summary>Starts the child; the task ends with its request counts, or throws with its output unless it exits 0.</summary>
    public static async Task<RequestCounts> RunAsync(Uri apiRoot, string token, string folder, IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own executable path is unknown."),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(info.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(ConsoleProcess).Assembly.Location);
        }

        foreach (var arg in new[] { Mode, apiRoot.ToString(), token, folder, "--" }.Concat(command))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("The console process did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var lines = (await output.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (process.ExitCode != 0 || lines.LastOrDefault(l => l.StartsWith(CountsPrefix, StringComparison.Ordinal)) is not { } counts)
        {
            throw new InvalidOperationException($"partnerguard {string.Join(' ', command)} as {token} exited {process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}{await error.ConfigureAwait(false)}");
        }

        var words = counts.Split(' ');
        long At(int i) => long.Parse(words[i], CultureInfo.InvariantCulture);
        return new RequestCounts(At(1), At(3), At(5), At(7), At(9));
    }

    /// <summary>The child's entry point.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        if (args.Count < 6 || args[4] != "--")
        {
            throw new ArgumentException($"{Mode} API-ROOT TOKEN FOLDER -- command args…");
        }

        using var driver = new ConsoleDriver(new Uri(args[1]), args[3], args[2]);
        try
        {
            await driver.RunAsync([.. args.Skip(5)]).ConfigureAwait(false);
        }
        catch (InvalidOperationException error)
        {
            Console.Error.WriteLine(error.Message);
            return 1;
        }

        var c = driver.Counter.Snapshot();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{CountsPrefix}{c.Requests} reads {c.Reads} writes {c.Writes} throttled {c.Throttled} failed {c.Failed}"));
        return 0;
    }
}
