using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// "Execute batch operations using the Web API" (learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api):
/// multipart/mixed bodies, change sets that are atomic, Content-ID references, continue-on-error, 1,000 operations at most.
/// </summary>
public sealed class BatchTests
{
    private const string Root = "http://localhost/api/data/v9.2/";

    private sealed record Part(string Method, string Url, string? Body = null, string? ContentId = null);

    private static string Build(string boundary, params object[] items)
    {
        var text = new StringBuilder();
        var changeSet = 0;
        foreach (var item in items)
        {
            text.Append("--").Append(boundary).Append("\r\n");
            if (item is Part part)
            {
                WritePart(text, part);
            }
            else
            {
                var inner = $"changeset_{++changeSet}";
                text.Append("Content-Type: multipart/mixed; boundary=").Append(inner).Append("\r\n\r\n");
                foreach (var p in (Part[])item)
                {
                    text.Append("--").Append(inner).Append("\r\n");
                    WritePart(text, p);
                }

                text.Append("--").Append(inner).Append("--\r\n");
            }
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        return text.ToString();
    }

    private static void WritePart(StringBuilder text, Part part)
    {
        text.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (part.ContentId is not null)
        {
            text.Append("Content-ID: ").Append(part.ContentId).Append("\r\n");
        }

        text.Append("\r\n").Append(part.Method).Append(' ').Append(part.Url).Append(" HTTP/1.1\r\n");
        if (part.Body is not null)
        {
            text.Append("Content-Type: application/json; type=entry\r\n\r\n").Append(part.Body).Append("\r\n");
        }
        else
        {
            text.Append("\r\n");
        }
    }

    private static async Task<(HttpResponseMessage Response, string Body)> PostBatch(WebApiFixture api, string body, params (string, string)[] headers)
    {
        var request = WebApiFixture.Request(HttpMethod.Post, "$batch", null, headers);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=\"batch_AAA\"");
        var response = await api.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static int[] Statuses(string body) => body.Split('\n')
        .Where(l => l.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        .Select(l => int.Parse(l.Split(' ')[1]))
        .ToArray();

    [Fact]
    public async Task ChangeSet_ContentIdReference_CreatesBothRows()
    {
        using var api = new WebApiFixture();
        var body = Build("batch_AAA",
            new[]
            {
                new Part("POST", Root + "accounts", """{"name":"Parent from batch"}""", "1"),
                new Part("POST", Root + "accounts", """{"name":"Child from batch","parentaccountid@odata.bind":"$1"}""", "2"),
            },
            new Part("GET", Root + "accounts?$select=name&$orderby=name"));

        var (response, text) = await PostBatch(api, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("multipart/mixed", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Equal(new[] { 204, 204, 200 }, Statuses(text));
        Assert.Contains("Content-ID: 2", text, StringComparison.Ordinal);
        var rows = api.Org.GetService().RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name", "parentaccountid") });
        var child = rows.Entities.Single(e => (string)e["name"] == "Child from batch");
        var parent = rows.Entities.Single(e => (string)e["name"] == "Parent from batch");
        Assert.Equal(parent.Id, ((EntityReference)child["parentaccountid"]).Id);
        Assert.Contains("\"name\":\"Child from batch\"", text, StringComparison.Ordinal);
    }

    // Change sets are atomic: a failure inside rolls back the operations before it (powerapps-docs issue #2843),
    // and without continue-on-error the batch stops there with 400.
    [Fact]
    public async Task ChangeSet_FailureInside_RollsBackWholeSet_AndStopsBatch()
    {
        using var api = new WebApiFixture();
        var missing = Guid.NewGuid();
        var body = Build("batch_AAA",
            new[]
            {
                new Part("POST", Root + "accounts", """{"name":"Rolled back"}""", "1"),
                new Part("PATCH", Root + $"accounts({missing})", """{"name":"x"}""", "2") ,
            },
            new Part("POST", Root + "accounts", """{"name":"Never sent"}"""));
        var withIfMatch = body.Replace($"PATCH {Root}accounts({missing}) HTTP/1.1\r\n", $"PATCH {Root}accounts({missing}) HTTP/1.1\r\nIf-Match: *\r\n", StringComparison.Ordinal);

        var (response, text) = await PostBatch(api, withIfMatch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new[] { 404 }, Statuses(text));
        Assert.Contains("0x80040217", text, StringComparison.Ordinal);
        Assert.Equal(0, api.Org.Count("account"));
    }

    // With Prefer: odata.continue-on-error the batch answers 200 and every part carries its own status; a failed
    // change set still rolls back as a unit while operations outside it keep their effect.
    [Fact]
    public async Task ContinueOnError_FailuresInsideAndOutsideChangeSets()
    {
        using var api = new WebApiFixture();
        var body = Build("batch_AAA",
            new Part("POST", Root + "accounts", """{"name":"Kept 1"}"""),
            new Part("POST", Root + "accounts", """{"name":"Bad","numberofemployees":"lots"}"""),
            new[]
            {
                new Part("POST", Root + "accounts", """{"name":"In failed set"}""", "1"),
                new Part("POST", Root + "accounts", """{"name":"Also bad","pg_assignedpartnerid@odata.bind":"/accounts(00000000-0000-0000-0000-000000000001)"}""", "2"),
            },
            new Part("POST", Root + "accounts", """{"name":"Kept 2"}"""));

        var (response, text) = await PostBatch(api, body, ("Prefer", "odata.continue-on-error"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { 204, 400, 400, 204 }, Statuses(text));
        Assert.Contains("0x80048d19", text, StringComparison.Ordinal);
        var names = api.Org.GetService().RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("name") })
            .Entities.Select(e => (string)e["name"]).OrderBy(n => n).ToArray();
        Assert.Equal(new[] { "Kept 1", "Kept 2" }, names);
    }

    // Without continue-on-error, the first failing operation outside a change set stops the batch (400) after the
    // earlier operations ran; later operations are not run.
    [Fact]
    public async Task WithoutContinueOnError_StopsAtFirstFailure()
    {
        using var api = new WebApiFixture();
        var body = Build("batch_AAA",
            new Part("POST", Root + "accounts", """{"name":"Ran"}"""),
            new Part("DELETE", Root + $"accounts({Guid.NewGuid()})"),
            new Part("POST", Root + "accounts", """{"name":"Not run"}"""));

        var (response, text) = await PostBatch(api, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(new[] { 204, 404 }, Statuses(text));
        Assert.Equal(1, api.Org.Count("account"));
    }

    // A batch holds at most 1,000 operations; a larger one is a 400 and runs nothing.
    [Fact]
    public async Task OversizedBatch_Answers400AndRunsNothing()
    {
        using var api = new WebApiFixture();
        var parts = Enumerable.Range(0, 1001).Select(i => (object)new Part("POST", Root + "accounts", $$"""{"name":"A{{i}}"}""")).ToArray();

        var (response, text) = await PostBatch(api, Build("batch_AAA", parts));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(text);
        Assert.Contains("1001", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, api.Org.Count("account"));
    }

    // GET is not allowed inside a change set.
    [Fact]
    public async Task GetInsideChangeSet_Fails()
    {
        using var api = new WebApiFixture();
        var body = Build("batch_AAA", (object)new[] { new Part("GET", Root + "accounts", null, "1") });

        var (response, text) = await PostBatch(api, body, ("Prefer", "odata.continue-on-error"));

        Assert.Equal(new[] { 400 }, Statuses(text));
        Assert.Contains("GET requests are not allowed inside a change set", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Malformed multipart (no closing delimiter, no boundary) is a 400, never a hang or a crash.
    [Theory]
    [InlineData("--batch_AAA\r\nContent-Type: application/http\r\n\r\nGET http://localhost/api/data/v9.2/accounts HTTP/1.1\r\n\r\n", "closing delimiter")]
    [InlineData("", "no part delimited by '--batch_AAA'")]
    public async Task MalformedBatch_Answers400(string body, string expected)
    {
        using var api = new WebApiFixture();
        var (response, text) = await PostBatch(api, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }
}
