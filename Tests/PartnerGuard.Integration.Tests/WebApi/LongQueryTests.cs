using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.Tests.WebApi;

/// <summary>
/// Doc "Compose HTTP requests and handle errors" → Maximum URL length
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors): Dataverse accepts
/// URLs of up to 32 KB (32,768 characters); a request sent inside a $batch body may have a URL of up to 64 KB (65,536),
/// which is how long GETs such as FetchXML queries are sent. Doc "Execute batch operations using the Web API": a GET is
/// allowed in a batch outside any change set, and its response part carries the JSON body.
/// </summary>
public sealed class LongQueryTests
{
    private static readonly string LongFilter = string.Join(" or ", Enumerable.Range(0, 700).Select(i => $"name eq 'account number {i:D20}'"));

    [Fact]
    public async Task QueryAsync_UrlOverTheLimit_GoesThroughBatch_NextLinkPagesToo()
    {
        var query = $"accounts?$select=name&$filter={LongFilter}";
        var nextLink = new Uri(WebApiTestHarness.OrgUrl, "/api/data/v9.2/" + query + "&$skiptoken=2").AbsoluteUri;
        Assert.InRange(nextLink.Length, DataverseWebApiClient.MaxUrlLength + 1, DataverseWebApiClient.MaxBatchedUrlLength);
        var pages = new Queue<string>([
            $$"""{"value":[{"name":"A"},{"name":"B"}],"@odata.nextLink":"{{nextLink}}"}""",
            """{"value":[{"name":"C"}]}""",
        ]);
        var transport = new FakeDataverseHandler(r =>
        {
            Assert.Equal("/api/data/v9.2/$batch", r.Uri.AbsolutePath);
            return BatchAnswer(pages.Dequeue());
        });
        var client = WebApiTestHarness.Create(transport, out _, new WebApiOptions { AttemptTimeout = null, MaxPageSize = 2 });

        var names = new List<string>();
        await foreach (var name in client.QueryAsync(query, r => r.GetProperty("name").GetString()!, CancellationToken.None))
        {
            names.Add(name);
        }

        Assert.Equal(["A", "B", "C"], names);
        Assert.Equal(2, transport.Requests.Count);
        var gets = transport.Requests.Select(r => GetLine().Match(r.Body!)).ToList();
        Assert.All(gets, g => Assert.True(g.Success));
        Assert.Equal(new Uri(WebApiTestHarness.OrgUrl, "/api/data/v9.2/" + query).AbsoluteUri, gets[0].Groups[1].Value);
        Assert.Equal(nextLink, gets[1].Groups[1].Value);
        Assert.All(transport.Requests, r =>
        {
            Assert.Contains("Prefer: odata.maxpagesize=2\r\n", r.Body, StringComparison.Ordinal);
            Assert.Equal(HttpMethod.Post, r.Method);
        });
    }

    [Fact]
    public async Task QueryPageAsync_ShortUrl_IsAPlainGet_LongUrl_GoesThroughBatch()
    {
        var transport = new FakeDataverseHandler(r => r.Uri.AbsolutePath.EndsWith("$batch", StringComparison.Ordinal)
            ? BatchAnswer("""{"value":[{"name":"long"}]}""")
            : FakeDataverseHandler.Json(HttpStatusCode.OK, """{"value":[{"name":"short"}]}"""));
        var client = WebApiTestHarness.Create(transport, out _);
        var fetch = "<fetch><entity name='account'><filter type='or'>" + string.Concat(Enumerable.Range(0, 500).Select(i => $"<condition attribute='name' operator='eq' value='n{i:D8}'/>")) + "</filter></entity></fetch>";

        var shortName = await client.QueryPageAsync("accounts?$select=name", "odata.maxpagesize=5", p => p.GetProperty("value")[0].GetProperty("name").GetString(), CancellationToken.None);
        var longName = await client.QueryPageAsync("accounts?fetchXml=" + Uri.EscapeDataString(fetch), "odata.include-annotations=\"*\"", p => p.GetProperty("value")[0].GetProperty("name").GetString(), CancellationToken.None);

        Assert.Equal("short", shortName);
        Assert.Equal("long", longName);
        Assert.Equal(HttpMethod.Get, transport.Requests[0].Method);
        Assert.Equal(HttpMethod.Post, transport.Requests[1].Method);
        Assert.Contains("GET https://contoso.crm.dynamics.com/api/data/v9.2/accounts?fetchXml=%3Cfetch%3E", transport.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_UrlOverTheBatchLimit_FailsClearly_WithoutSending()
    {
        var transport = new FakeDataverseHandler(_ => throw new InvalidOperationException("nothing should be sent"));
        var client = WebApiTestHarness.Create(transport, out _);
        var huge = "accounts?$filter=" + LongFilter + " or " + LongFilter + " or " + LongFilter;

        var error = await Assert.ThrowsAsync<DataverseException>(async () =>
        {
            await foreach (var _ in client.QueryAsync(huge, r => r, CancellationToken.None))
            {
            }
        });

        Assert.Equal(HttpStatusCode.RequestUriTooLong, error.Error.Status);
        Assert.Contains("65,536", error.Error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Requests);
    }

    private static HttpResponseMessage BatchAnswer(string json)
    {
        var body = new StringBuilder()
            .Append("--batchresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
            .Append("HTTP/1.1 200 OK\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n")
            .Append(json).Append("\r\n--batchresponse_1--\r\n")
            .ToString();
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=batchresponse_1");
        return response;
    }

    private static Regex GetLine() => new(@"^GET (\S+) HTTP/1\.1\r$", RegexOptions.Multiline);
}
