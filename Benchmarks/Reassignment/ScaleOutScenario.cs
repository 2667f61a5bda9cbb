using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PartnerGuard.Integration.Domain.Planning;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// Scale-out across application users (issue 16, item 2): service protection counts per user, so `distribute --shard
/// I/N` run by N application users side by side has N budgets. Under compressed limits, one user's `distribute` of
/// every account is timed against N shards run at once by N users (each its own console process,
/// <see cref="ConsoleProcess"/>, with its own bearer token, journal and connection pool), against one emulator
/// process each time. Wall times include each console process's start. Afterwards the org is
/// read back: every customer must have a partner, and must have been modified by the user of the shard its id
/// hashes to (so no shard wrote another shard's account).
/// </summary>
internal static class ScaleOutScenario
{
    public static async Task RunAsync(ScaleOutSettings settings, int partners, string folder, StringBuilder report)
    {
        var window = TimeSpan.FromMilliseconds(settings.WindowMs);
        var setup = new EmulatorSetup(settings.Accounts, partners, settings.RequestLimit, window, DopHint: settings.DopHint, Users: settings.Shards);
        var batch = settings.BatchSize.ToString(CultureInfo.InvariantCulture);
        var wave = settings.Accounts.ToString(CultureInfo.InvariantCulture);
        string[] Distribute(string? shard) =>
            ["distribute", "--strategy", "balanced", "--wave-size", wave, "--batch-size", batch, "--journal-dir", "runs", "--output", "reports", "--yes",
             .. shard is null ? Array.Empty<string>() : ["--shard", shard]];

        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] scale-out: one user, {settings.Accounts:N0} accounts");
        Outcome one;
        await using (var emulator = await EmulatorProcess.StartAsync(setup, CancellationToken.None).ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            var sent = await ConsoleProcess.RunAsync(emulator.ApiRoot, EmulatorSetup.Token(1), Path.Combine(folder, "one-user"), Distribute(null)).ConfigureAwait(false);
            clock.Stop();
            one = new Outcome(clock.Elapsed, sent, await CheckAsync(emulator.ApiRoot, settings.Shards, singleUser: true).ConfigureAwait(false));
        }

        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] scale-out: {settings.Shards} users, one shard each, one process each");
        Outcome many;
        await using (var emulator = await EmulatorProcess.StartAsync(setup, CancellationToken.None).ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            var counts = await Task.WhenAll(Enumerable.Range(1, settings.Shards).Select(i => ConsoleProcess.RunAsync(
                emulator.ApiRoot,
                EmulatorSetup.Token(i),
                Path.Combine(folder, "shard-" + i.ToString(CultureInfo.InvariantCulture)),
                Distribute(new Shard(i, settings.Shards).ToString())))).ConfigureAwait(false);
            clock.Stop();
            var sent = counts.Aggregate((a, b) => new RequestCounts(a.Requests + b.Requests, a.Reads + b.Reads, a.Writes + b.Writes, a.Throttled + b.Throttled, a.Failed + b.Failed));
            many = new Outcome(clock.Elapsed, sent, await CheckAsync(emulator.ApiRoot, settings.Shards, singleUser: false).ConfigureAwait(false));
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"### 5. Scale-out: `distribute --shard I/{settings.Shards}` as {settings.Shards} application users against one emulator, {settings.RequestLimit} requests per user per {window.TotalSeconds:0.#} s (compressed), `--batch-size {batch}`, x-ms-dop-hint {settings.DopHint}, {settings.Accounts:N0} accounts");
        report.AppendLine();
        report.AppendLine("| run | wall time | accounts/s | requests | throttled (429) | throttled share | accounts assigned | written by the wrong user |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Row(report, "one user, `distribute` (no shard)", one, settings.Accounts);
        Row(report, $"{settings.Shards} users, `--shard I/{settings.Shards}` each, side by side", many, settings.Accounts);
        report.AppendLine();
        var ratio = one.Time / many.Time;
        report.AppendLine(CultureInfo.InvariantCulture, $"Aggregate throughput **{ratio:0.00}×** one user's (target ≥ 3.4×); throttled **{(double)many.Sent.Throttled / many.Sent.Requests:P1}** (target < 1 %); every account assigned exactly once: **{(many.Check.Assigned == settings.Accounts && many.Check.WrongUser == 0 ? "yes" : "NO")}**.");
        report.AppendLine();
    }

    private static void Row(StringBuilder report, string label, Outcome outcome, int accounts) =>
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {label} | {outcome.Time.TotalSeconds:0.0} s | {accounts / outcome.Time.TotalSeconds:N0} | {outcome.Sent.Requests:N0} | {outcome.Sent.Throttled:N0} | {(double)outcome.Sent.Throttled / outcome.Sent.Requests:P1} | {outcome.Check.Assigned:N0} | {outcome.Check.WrongUser:N0} |");

    /// <summary>Reads every customer back (as the administrator): assigned or not, and by whom last modified.</summary>
    private static async Task<Check> CheckAsync(Uri apiRoot, int shards, bool singleUser)
    {
        using var http = new HttpClient { BaseAddress = apiRoot };
        var users = new Dictionary<int, Guid>();
        for (var i = 1; i <= shards; i++)
        {
            using var whoAmI = new HttpRequestMessage(HttpMethod.Get, "WhoAmI");
            whoAmI.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EmulatorSetup.Token(i));
            using var response = await http.SendAsync(whoAmI).ConfigureAwait(false);
            using var json = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().ConfigureAwait(false));
            users[i] = json.RootElement.GetProperty("UserId").GetGuid();
        }

        int assigned = 0, wrongUser = 0;
        string? next = "accounts?$select=accountid,_pg_assignedpartnerid_value,_modifiedby_value&$filter=customertypecode eq 3";
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Add("Prefer", "odata.maxpagesize=5000");
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            using var json = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync().ConfigureAwait(false));
            foreach (var row in json.RootElement.GetProperty("value").EnumerateArray())
            {
                if (row.GetProperty("_pg_assignedpartnerid_value").ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                assigned++;
                var expected = users[singleUser ? 1 : Shard.Bucket(row.GetProperty("accountid").GetGuid(), shards) + 1];
                if (row.GetProperty("_modifiedby_value").GetGuid() != expected)
                {
                    wrongUser++;
                }
            }

            next = json.RootElement.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        return new Check(assigned, wrongUser);
    }

    private sealed record Check(int Assigned, int WrongUser);

    private sealed record Outcome(TimeSpan Time, RequestCounts Sent, Check Check);
}

/// <summary>The scale-out scenario's settings (harness options --scaleout-*).</summary>
internal sealed record ScaleOutSettings(int Accounts, int Shards, int RequestLimit, int WindowMs, int BatchSize, int DopHint);
