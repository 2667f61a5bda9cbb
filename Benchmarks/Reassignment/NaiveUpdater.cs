using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// The baseline: one PATCH per account, one after another, no batching, no parallelism, no read before the write.
/// Writes the same columns apply writes (partner lookup, assigned on, run) for the same accounts, with
/// If-Match: * as the console does. Keeps one pooled connection, as any HttpClient would.
/// </summary>
internal static class NaiveUpdater
{
    /// <summary>The partner lookup's navigation property: the column's schema name (DESIGN §2).</summary>
    private const string PartnerNavigation = "pg_AssignedPartnerId";

    public static async Task<TimeSpan> RunAsync(Uri apiRoot, Plan plan, RequestCounter counter)
    {
        using var http = new HttpClient(counter, disposeHandler: false) { BaseAddress = apiRoot };
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        foreach (var row in plan.Rows)
        {
            var body = new JsonObject
            {
                [$"{PartnerNavigation}@odata.bind"] = $"/accounts({row.NewPartnerId:D})",
                ["pg_partnerassignedon"] = stamp,
                ["pg_assignmentrun"] = "naive-baseline",
            };
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"accounts({row.AccountId:D})")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Add("OData-MaxVersion", "4.0");
            request.Headers.Add("OData-Version", "4.0");
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
            using var response = await http.SendAsync(request).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Naive PATCH of {row.AccountId:D} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }

        return clock.Elapsed;
    }
}
