using System.Diagnostics;
using System.Globalization;
using System.Text;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// The reassignment benchmark of DESIGN §7, as a harness rather than a BenchmarkDotNet suite: each scenario is one
/// long run (thousands of accounts through the console against an emulator in another process), which is
/// measured once, not repeated thousands of times.
/// <code>
/// dotnet run -c Release --project Benchmarks -- reassignment [--accounts 5000] [--latencies 0,20,100] [--operation-ms 0]
///     [--memory-sizes 10000,20000,200000] [--apply-memory-limit 20000] [--throttle-accounts 22500] [--throttle-batch-size 10]
///     [--request-limit 450] [--window-ms 15000] [--throttle-dop-hint 4]
///     [--scaleout-accounts 8000] [--scaleout-shards 4] [--scaleout-request-limit 100] [--scaleout-batch-size 10]
///     [--only throughput|memory|throttling|scaleout]
/// </code>
/// Scenarios: (1) throughput of `apply` against its peers on the same accounts and columns (naive sequential single
/// PATCHes; `$batch` of 200 and of 1,000 one at a time; `$batch` of 100, 8 in parallel), with the requests sent per
/// 1,000 accounts, once per added latency; (2) the client's peak memory through `plan` and `apply` at several org
/// sizes; (3) `apply` under a compressed service protection window: share of the request budget used and share
/// throttled; (4) `distribute --shard I/N` as N application users against one user (<see cref="ScaleOutScenario"/>).
/// Prints a Markdown report.
/// </summary>
internal static class ReassignmentHarness
{
    public const string Mode = "reassignment";
    private const int Partners = 20;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = HarnessOptions.Parse(args);
        var report = new StringBuilder();
        var work = Path.Combine(Path.GetTempPath(), "partnerguard-reassignment-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var started = Stopwatch.StartNew();
        report.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {LoadAverage()}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}.");
        report.AppendLine();
        Flush(report);
        try
        {
            if (options.Runs("throughput"))
            {
                foreach (var latency in options.Latencies)
                {
                    await ThroughputAsync(options.Accounts, latency, options.OperationMs, Path.Combine(work, "throughput-" + latency.ToString(CultureInfo.InvariantCulture) + "ms"), report).ConfigureAwait(false);
                    Flush(report);
                }
            }

            if (options.Runs("memory"))
            {
                await MemoryAsync(options.MemorySizes, options.ApplyMemoryLimit, Path.Combine(work, "memory"), report).ConfigureAwait(false);
                Flush(report);
            }

            if (options.Runs("throttling"))
            {
                await ThrottlingAsync(options, Path.Combine(work, "throttling"), report).ConfigureAwait(false);
                Flush(report);
            }

            if (options.Runs("scaleout"))
            {
                await ScaleOutScenario.RunAsync(options.ScaleOut, Partners, Path.Combine(work, "scaleout"), report).ConfigureAwait(false);
            }
        }
        finally
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"Whole harness: {started.Elapsed.TotalSeconds:0} s; load average at end {LoadAverage()}. Work folder (plans, journals, console log): {work}");
            Flush(report);
        }

        return 0;
    }

    private static async Task ThroughputAsync(int accounts, int latencyMs, int operationMs, string folder, StringBuilder report)
    {
        Progress($"throughput: seeding {accounts:N0} accounts, {latencyMs} ms added per request");
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorSetup(accounts, Partners, LatencyMs: latencyMs, OperationMs: operationMs), CancellationToken.None).ConfigureAwait(false);
        using var driver = new ConsoleDriver(emulator.ApiRoot, folder);

        Progress("throughput: plan");
        var beforePlan = driver.Counter.Snapshot();
        var planTime = await driver.PlanAsync("bench-throughput", "plan.csv").ConfigureAwait(false);
        var plan = PlanFiles.Read(driver.Resolve("plan.csv"));
        var planRequests = driver.Counter.Snapshot() - beforePlan;

        Progress("throughput: apply");
        var beforeApply = driver.Counter.Snapshot();
        var targetsBefore = driver.Counter.Targets;
        var applyTime = await driver.RunAsync("apply", "--yes", "--plan", "plan.csv", "--journal-dir", "runs", "--output", "reports").ConfigureAwait(false);
        var applyRequests = driver.Counter.Snapshot() - beforeApply;
        var writePath = WritePathOf(driver.LogPath);
        var applyTargets = string.Join(", ", driver.Counter.Targets
            .Select(t => (t.Key, Count: t.Value - targetsBefore.GetValueOrDefault(t.Key)))
            .Where(t => t.Count > 0)
            .OrderByDescending(t => t.Count)
            .Select(t => $"{t.Key} × {t.Count:N0}"));

        Progress("throughput: naive sequential PATCHes");
        using var naiveCounter = new RequestCounter(new SocketsHttpHandler { UseCookies = false });
        var naiveTime = await NaiveUpdater.RunAsync(emulator.ApiRoot, plan, naiveCounter).ConfigureAwait(false);
        var naiveRequests = naiveCounter.Snapshot();

        var peers = new List<(string Label, TimeSpan Time, RequestCounts Requests)>();
        foreach (var peer in new[] { BatchUpdater.OneAtATime(200), BatchUpdater.OneAtATime(1000), BatchUpdater.Tuned() })
        {
            Progress($"throughput: {peer.Label}");
            using var peerCounter = new RequestCounter(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 });
            var peerTime = await peer.RunAsync(emulator.ApiRoot, plan, peerCounter).ConfigureAwait(false);
            peers.Add((peer.Label, peerTime, peerCounter.Snapshot()));
        }

        var n = plan.Rows.Count;
        var applyRate = n / applyTime.TotalSeconds;
        var naiveRate = n / naiveTime.TotalSeconds;
        var best = peers.MinBy(p => p.Time);
        var bestRate = n / best.Time.TotalSeconds;
        var latency = (latencyMs == 0 ? "no added latency" : $"**{latencyMs} ms added to every request by the emulator** (Faults.Latency)")
            + (operationMs == 0 ? string.Empty : $", **{operationMs} ms per operation** (Faults.OperationLatency: per $batch part, per UpdateMultiple target, per plain request)");
        report.AppendLine(CultureInfo.InvariantCulture, $"### 1–2. Throughput and requests: {n:N0} accounts, {latency} ({Partners} partners, service protection off; {emulator.StartupLog})");
        report.AppendLine();
        report.AppendLine("| step | wall time | accounts/s | requests | reads (GET) | writes | requests per 1,000 accounts |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        Row(report, "`plan --strategy balanced`", planTime, null, planRequests, n);
        Row(report, $"`apply` (defaults: batch 100, parallelism from x-ms-dop-hint; write path {writePath})", applyTime, applyRate, applyRequests, n);
        Row(report, "naive: one PATCH per account, sequential", naiveTime, naiveRate, naiveRequests, n);
        foreach (var (label, time, requests) in peers)
        {
            Row(report, label, time, n / time.TotalSeconds, requests, n);
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`apply` is **{applyRate / naiveRate:0.0}×** the naive throughput (target ≥ 20×) and **{applyRate / bestRate:0.00}×** the best peer, {best.Label} (target ≥ 1.5× at 20 and 100 ms). Its requests: {applyTargets}.");
        report.AppendLine();
    }

    private static async Task MemoryAsync(IReadOnlyList<int> sizes, int applyLimit, string folder, StringBuilder report)
    {
        report.AppendLine(CultureInfo.InvariantCulture, $"### 3. Client peak memory (the console in this process; the emulator in its own; peaks sampled every 10 ms after a full GC)");
        report.AppendLine();
        report.AppendLine("| accounts | step | wall time | peak managed heap | peak working set | requests |");
        report.AppendLine("|---:|---|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            Progress($"memory: seeding {size:N0} accounts");
            await using var emulator = await EmulatorProcess.StartAsync(new EmulatorSetup(size, Partners), CancellationToken.None).ConfigureAwait(false);
            using var driver = new ConsoleDriver(emulator.ApiRoot, Path.Combine(folder, size.ToString(CultureInfo.InvariantCulture)));
            foreach (var step in size <= applyLimit ? ["plan", "apply"] : new[] { "plan" })
            {
                Progress($"memory: {step} over {size:N0} accounts");
                var before = driver.Counter.Snapshot();
                TimeSpan time;
                PeakMemory peak;
                await using (peak = PeakMemory.Start())
                {
                    time = step == "plan"
                        ? await driver.PlanAsync("bench-memory", "plan.csv").ConfigureAwait(false)
                        : await driver.RunAsync("apply", "--yes", "--plan", "plan.csv", "--journal-dir", "runs", "--output", "reports").ConfigureAwait(false);
                }

                var requests = driver.Counter.Snapshot() - before;
                var label = step == "plan" ? "`plan --strategy balanced`" : "`apply`";
                report.AppendLine(CultureInfo.InvariantCulture, $"| {size:N0} | {label} | {time.TotalSeconds:0.0} s | {Mb(peak.PeakHeapBytes)} | {Mb(peak.PeakWorkingSetBytes)} | {requests.Requests:N0} |");
            }
        }

        report.AppendLine();
        if (sizes.Any(s => s > applyLimit))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"`apply` runs only at sizes up to {applyLimit:N0} (--apply-memory-limit): the emulator answers each of apply's reads (100 ids by primary key) with a scan of the whole table, so apply's time grows with accounts × table size.");
            report.AppendLine();
        }
    }

    private static async Task ThrottlingAsync(HarnessOptions options, string folder, StringBuilder report)
    {
        var window = TimeSpan.FromMilliseconds(options.WindowMs);
        Progress($"throttling: seeding {options.ThrottleAccounts:N0} accounts; {options.RequestLimit} requests per {window.TotalSeconds:0.#} s");
        await using var emulator = await EmulatorProcess.StartAsync(new EmulatorSetup(options.ThrottleAccounts, Partners, options.RequestLimit, window, DopHint: options.ThrottleDopHint), CancellationToken.None).ConfigureAwait(false);
        using var driver = new ConsoleDriver(emulator.ApiRoot, folder);
        await driver.PlanAsync("bench-throttling", "plan.csv").ConfigureAwait(false);

        // Let the plan's requests leave the sliding window, so apply starts with the whole budget.
        await Task.Delay(window).ConfigureAwait(false);
        Progress("throttling: apply");
        var before = driver.Counter.Snapshot();
        var batchSize = options.ThrottleBatchSize.ToString(CultureInfo.InvariantCulture);
        var time = await driver.RunAsync("apply", "--yes", "--plan", "plan.csv", "--batch-size", batchSize, "--journal-dir", "runs", "--output", "reports").ConfigureAwait(false);
        var sent = driver.Counter.Snapshot() - before;
        var accepted = sent.Requests - sent.Throttled;
        var budget = options.RequestLimit * (time / window);
        var codes = string.Join(", ", driver.Counter.ThrottleCodes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));
        report.AppendLine(CultureInfo.InvariantCulture, $"### 4. Service protection, compressed: {options.RequestLimit} requests per user per {window.TotalSeconds:0.#} s sliding window (execution-time budget compressed by the same factor, concurrency 52), `apply --batch-size {batchSize}` of {options.ThrottleAccounts:N0} accounts (small batches, so the run spans many windows), x-ms-dop-hint {options.ThrottleDopHint}");
        report.AppendLine();
        report.AppendLine("| wall time | requests sent | accepted | throttled (429) | sustained budget (limit × time ÷ window) | budget used | throttled share |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| {time.TotalSeconds:0.0} s | {sent.Requests:N0} | {accepted:N0} | {sent.Throttled:N0} | {budget:0} | **{accepted / budget:P0}** | **{(double)sent.Throttled / sent.Requests:P1}** |");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"429 codes: {(codes.Length == 0 ? "none" : codes)}. Targets: budget used ≥ 90 %, throttled < 1 %.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Parallelism ÷ window limit: {options.ThrottleDopHint} ÷ {options.RequestLimit} = {(double)options.ThrottleDopHint / options.RequestLimit:P2} (Dataverse at the same hint: {options.ThrottleDopHint} ÷ 6,000 = {options.ThrottleDopHint / 6000.0:P2}); Retry-After comes in whole seconds, {1000.0 / options.WindowMs:P1} of a window here against 0.3 % of Dataverse's 300 s.");
        report.AppendLine();
    }

    private static void Row(StringBuilder report, string step, TimeSpan time, double? rate, RequestCounts requests, int accounts) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {step} | {time.TotalSeconds:0.00} s | {(rate is { } r ? r.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {requests.Requests:N0} | {requests.Reads:N0} | {requests.Writes:N0} | {requests.Requests * 1000.0 / accounts:0.#} |");

    /// <summary>The write path the console reported in its summary line ("Write path: UpdateMultiple").</summary>
    private static string WritePathOf(string log) =>
        File.ReadLines(log).Reverse().Select(l => l.IndexOf("Write path: ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + 12)..].Split('.')[0] : null).FirstOrDefault(p => p is not null) ?? "unknown";

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0", CultureInfo.InvariantCulture) + " MB";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Prints the finished sections (Markdown, on standard output) as soon as each scenario ends.</summary>
    private static void Flush(StringBuilder report)
    {
        Console.Out.Write(report.ToString());
        Console.Out.Flush();
        report.Clear();
    }

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    private sealed record HarnessOptions(int Accounts, IReadOnlyList<int> Latencies, int OperationMs, IReadOnlyList<int> MemorySizes, int ApplyMemoryLimit, int ThrottleAccounts, int ThrottleBatchSize, int RequestLimit, int WindowMs, int ThrottleDopHint, ScaleOutSettings ScaleOut, string? Only)
    {
        public bool Runs(string scenario) => Only is null || Only == scenario;

        public static HarnessOptions Parse(IReadOnlyList<string> args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < args.Count; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                {
                    throw new ArgumentException($"reassignment: expected '--name value' pairs; got '{args[i]}'.");
                }

                values[args[i]] = args[++i];
            }

            int Number(string name, int fallback, int minimum = 1)
            {
                if (!values.Remove(name, out var text))
                {
                    return fallback;
                }

                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
                    ? value
                    : throw new ArgumentException($"reassignment: {name} must be a whole number of at least {minimum}; got '{text}'.");
            }

            IReadOnlyList<int> Numbers(string name, int[] fallback, int minimum) =>
                !values.Remove(name, out var text)
                    ? fallback
                    : text.Split(',').Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= minimum ? v : throw new ArgumentException($"reassignment: {name} must be whole numbers of at least {minimum} separated by commas; got '{text}'.")).ToList();

            var windowMs = Number("--window-ms", 15_000);
            var dopHint = Number("--throttle-dop-hint", 4);
            var options = new HarnessOptions(
                Number("--accounts", 5000),
                Numbers("--latencies", [0, 20, 100], minimum: 0),
                Number("--operation-ms", 0, minimum: 0),
                Numbers("--memory-sizes", [10_000, 20_000, 200_000], minimum: 1),
                Number("--apply-memory-limit", 20_000),
                Number("--throttle-accounts", 22_500),
                Number("--throttle-batch-size", 10),
                Number("--request-limit", 450),
                windowMs,
                dopHint,
                new ScaleOutSettings(
                    Number("--scaleout-accounts", 8000),
                    Number("--scaleout-shards", 4),
                    Number("--scaleout-request-limit", 100),
                    windowMs,
                    Number("--scaleout-batch-size", 10),
                    dopHint),
                values.Remove("--only", out var only) ? only : null);
            if (options.Only is not (null or "throughput" or "memory" or "throttling" or "scaleout"))
            {
                throw new ArgumentException($"reassignment: --only must be throughput, memory, throttling or scaleout; got '{options.Only}'.");
            }

            if (values.Count > 0)
            {
                throw new ArgumentException($"reassignment: unknown option '{values.Keys.First()}'.");
            }

            return options;
        }
    }
}
