using System.Diagnostics;
using System.Globalization;
using PartnerGuard.Benchmarks.Reassignment;

namespace PartnerGuard.Benchmarks.Statements;

/// <summary>
/// `partnerguard statement --all` through the real console (command parsing, Web API client, paging, the audit's
/// reader and calculator, the statement writers) over HTTP against the emulator in a separate process, at one or
/// more sizes: wall time, requests on the wire, peak managed heap (sampled, garbage included), peak live heap (after a
/// full collection every 250 ms) and working set of the client, files written. The default sizes keep the partners at 1,000 and grow the
/// customers twentyfold, so flat memory shows as equal figures down the table.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project Benchmarks -- statements [--sizes 10000:1000:5000,50000:1000:25000,200000:1000:100000]
/// (customers:partners:deals per size). The report (Markdown) goes to standard output.
/// </remarks>
internal static class StatementHarness
{
    public const string Mode = "statements";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var at = args.ToList().IndexOf("--sizes");
        var sizes = (at >= 0 && at + 1 < args.Count ? args[at + 1] : "10000:1000:5000,50000:1000:25000,200000:1000:100000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(':').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        var work = Path.Combine(Path.GetTempPath(), $"partnerguard-statements-{Environment.ProcessId}");
        Console.WriteLine("| customers | partners | open deals | wall time | requests | peak heap (sampled) | peak live heap | peak working set | statements |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var (customers, partners, deals) = (size[0], size[1], size[2]);
            Console.Error.WriteLine($"seeding {customers:N0} customers, {partners:N0} partners, {deals:N0} deals in the emulator process…");
            await using var emulator = await EmulatorProcess.StartAsync(new EmulatorSetup(customers, partners, StatementDeals: deals), CancellationToken.None).ConfigureAwait(false);
            using var console = new ConsoleDriver(emulator.ApiRoot, Path.Combine(work, $"{customers}"));
            var output = console.Resolve("statements");
            TimeSpan elapsed;
            PeakMemory peak;
            await using (peak = PeakMemory.Start(measureLive: true))
            {
                elapsed = await console.RunAsync("statement", "--all", "--output", output).ConfigureAwait(false);
            }

            var written = Directory.EnumerateFiles(output, "*.json").Count();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {customers:N0} | {partners:N0} | {deals:N0} | {elapsed.TotalSeconds:0.0} s | {console.Counter.Snapshot().Requests:N0} | {Mb(peak.PeakHeapBytes)} | {Mb(peak.PeakLiveHeapBytes)} | {Mb(peak.PeakWorkingSetBytes)} | {written:N0} |"));
        }

        Console.Error.WriteLine($"files and the console log: {work}");
        return 0;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d / 1024d:0} MB");
}
