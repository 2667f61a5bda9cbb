using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// The peers a user without PartnerGuard would run, as plain Web API clients: <c>$batch</c> requests of
/// <see cref="BatchSize"/> PATCHes (one per account, the same three columns as apply and the naive baseline, with
/// If-Match: *), outside any change set and with <c>Prefer: odata.continue-on-error</c> (independent changes, as an
/// ExecuteMultiple with ContinueOnError), <see cref="Parallelism"/> batches in flight. A 429 is waited out for its
/// Retry-After and the batch sent again; nothing else is retried, and a failed change fails the run. No read before
/// the write, no journal.
/// </summary>
/// <param name="Label">How the report names the peer.</param>
internal sealed record BatchUpdater(string Label, int BatchSize, int Parallelism)
{
    private const string PartnerNavigation = "pg_AssignedPartnerId";

    /// <summary>Bulk-Data-Updater style: one batch at a time.</summary>
    public static BatchUpdater OneAtATime(int batchSize) =>
        new($"`$batch` of {batchSize:N0}, one at a time (Bulk Data Updater style)", batchSize, 1);

    /// <summary>A tuned script: batches of 100, 8 in flight.</summary>
    public static BatchUpdater Tuned() => new("`$batch` of 100, 8 in parallel (tuned script)", 100, 8);

    public async Task<TimeSpan> RunAsync(Uri apiRoot, Plan plan, RequestCounter counter)
    {
        using var http = new HttpClient(counter, disposeHandler: false) { BaseAddress = apiRoot, Timeout = TimeSpan.FromMinutes(10) };
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var batches = plan.Rows.Chunk(BatchSize).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (rows, token) =>
        {
            var body = Body(apiRoot, rows, stamp, out var boundary);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "$batch")
                {
                    Content = new StringContent(body, Encoding.UTF8),
                };
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={boundary}");
                request.Headers.Add("OData-MaxVersion", "4.0");
                request.Headers.Add("OData-Version", "4.0");
                request.Headers.Add("Prefer", "odata.continue-on-error");
                using var response = await http.SendAsync(request, token).ConfigureAwait(false);
                if (response.StatusCode == (HttpStatusCode)429)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                    continue;
                }

                var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode || text.Split('\n').Count(l => l.StartsWith("HTTP/1.1 204", StringComparison.Ordinal)) != rows.Length)
                {
                    throw new InvalidOperationException($"{Label}: a batch of {rows.Length} failed: {(int)response.StatusCode} {text[..Math.Min(text.Length, 2000)]}");
                }

                return;
            }
        }).ConfigureAwait(false);
        return clock.Elapsed;
    }

    private static string Body(Uri apiRoot, PlanRow[] rows, string stamp, out string boundary)
    {
        boundary = "batch_" + Guid.NewGuid().ToString("N");
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var change = new JsonObject
            {
                [$"{PartnerNavigation}@odata.bind"] = $"/accounts({row.NewPartnerId:D})",
                ["pg_partnerassignedon"] = stamp,
                ["pg_assignmentrun"] = "batch-peer",
            };
            text.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append(CultureInfo.InvariantCulture, $"PATCH {apiRoot}accounts({row.AccountId:D}) HTTP/1.1\r\n")
                .Append("Content-Type: application/json\r\nIf-Match: *\r\n\r\n")
                .Append(change.ToJsonString()).Append("\r\n");
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        return text.ToString();
    }
}
