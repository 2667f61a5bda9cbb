using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;
using static PartnerGuard.Integration.Tests.Support.FakeDataverseHandler;

namespace PartnerGuard.Integration.Tests.WebApi;

public class DataverseWebApiClientTests
{
    private static readonly Guid AccountId = Guid.Parse("00000000-0000-0000-0000-000000000001");

    // Doc: "Compose HTTP requests and handle errors" — Accept, OData-MaxVersion, OData-Version on every request.
    // Doc: "Page results" — Prefer: odata.maxpagesize=N on every page; follow @odata.nextLink unchanged.
    [Fact]
    public async Task QueryAsync_FollowsNextLinkUnchangedWithTheSamePageSize()
    {
        const string next1 = "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select=name&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%22%20/%3E";
        const string next2 = "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select=name&$skiptoken=page3";
        var transport = Sequence(
            () => Json(HttpStatusCode.OK, Page(["A", "B"], next1)),
            () => Json(HttpStatusCode.OK, Page(["C"], next2)),
            () => Json(HttpStatusCode.OK, Page(["D"], null)));
        var client = WebApiTestHarness.Create(transport, out _, new WebApiOptions { AttemptTimeout = null, MaxPageSize = 2 });

        var names = new List<string>();
        await foreach (var name in client.QueryAsync("accounts?$select=name", r => r.GetProperty("name").GetString()!, CancellationToken.None))
        {
            names.Add(name);
        }

        Assert.Equal(["A", "B", "C", "D"], names);
        var requests = transport.Requests;
        Assert.Equal("https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$select=name", requests[0].Uri.OriginalString);
        Assert.Equal(next1, requests[1].Uri.OriginalString);
        Assert.Equal(next2, requests[2].Uri.OriginalString);
        Assert.All(requests, r =>
        {
            Assert.Equal("odata.maxpagesize=2", r.Header("Prefer"));
            Assert.Equal("4.0", r.Header("OData-MaxVersion"));
            Assert.Equal("4.0", r.Header("OData-Version"));
            Assert.Equal("application/json", r.Header("Accept"));
        });
    }

    [Fact]
    public async Task QueryAsync_StreamsPageByPage()
    {
        var transport = Sequence(
            () => Json(HttpStatusCode.OK, Page(["A"], "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?$skiptoken=2")),
            () => Json(HttpStatusCode.OK, Page(["B"], null)));
        var client = WebApiTestHarness.Create(transport, out _);

        await using var rows = client.QueryAsync("accounts", r => r.GetProperty("name").GetString(), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await rows.MoveNextAsync());

        // The first row is in hand before the second page was asked for.
        Assert.Single(transport.Requests);
        Assert.True(await rows.MoveNextAsync());
        Assert.Equal(2, transport.Requests.Count);
    }

    // Doc: "Web API navigation properties" / OneToManyRelationshipMetadata.ReferencingEntityNavigationPropertyName:
    // the bind name of a custom lookup is its schema name and is case-sensitive.
    [Fact]
    public async Task Metadata_EntitySetAndNavigationNames_AreReadOnceAndCached()
    {
        var transport = new FakeDataverseHandler(r => r.PathAndQuery switch
        {
            var p when p.Contains("ManyToOneRelationships", StringComparison.Ordinal) => Json(HttpStatusCode.OK,
                """{"value":[{"ReferencingAttribute":"pg_assignedpartnerid","ReferencedEntity":"account","ReferencingEntityNavigationPropertyName":"pg_AssignedPartnerId","MetadataId":"6f1a7c52-0000-0000-0000-000000000000"}]}"""),
            var p when p.StartsWith("/api/data/v9.2/EntityDefinitions(LogicalName='account')", StringComparison.Ordinal) => Json(HttpStatusCode.OK,
                """{"@odata.context":"https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#EntityDefinitions(LogicalName,EntitySetName)/$entity","LogicalName":"account","EntitySetName":"accounts","MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84"}"""),
            _ => throw new InvalidOperationException(r.PathAndQuery),
        });
        var client = WebApiTestHarness.Create(transport, out _);

        Assert.Equal("accounts", await client.GetEntitySetNameAsync("account", CancellationToken.None));
        Assert.Equal("accounts", await client.GetEntitySetNameAsync("account", CancellationToken.None));
        Assert.Equal("pg_AssignedPartnerId", await client.GetLookupNavigationNameAsync("account", "pg_assignedpartnerid", "account", CancellationToken.None));
        Assert.Equal("pg_AssignedPartnerId", await client.GetLookupNavigationNameAsync("account", "pg_assignedpartnerid", "account", CancellationToken.None));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Contains("$filter=ReferencingAttribute eq 'pg_assignedpartnerid' and ReferencedEntity eq 'account'", transport.Requests[1].PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_MissingLookup_SaysTheSolutionMayBeMissing()
    {
        var transport = new FakeDataverseHandler(_ => Json(HttpStatusCode.OK, """{"value":[]}"""));
        var client = WebApiTestHarness.Create(transport, out _);

        var error = await Assert.ThrowsAsync<DataverseException>(() => client.GetLookupNavigationNameAsync("account", "pg_assignedpartnerid", null, CancellationToken.None));

        Assert.Contains("pg_assignedpartnerid", error.Message, StringComparison.Ordinal);
        Assert.Contains("solution", error.Message, StringComparison.Ordinal);
    }

    // Doc: "Perform conditional operations using the Web API" — If-Match: * prevents an upsert; a missing row
    // gives 404 with code 0x80040217 "account With Id = … Does Not Exist".
    [Fact]
    public async Task UpdateAsync_SendsIfMatchStar_AndParsesTheNotFoundError()
    {
        var transport = Sequence(() => Json(
            HttpStatusCode.NotFound,
            """{"error":{"code":"0x80040217","message":"account With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist"}}"""));
        var client = WebApiTestHarness.Create(transport, out _);

        var error = await Assert.ThrowsAsync<DataverseException>(() => client.UpdateAsync(
            "accounts", AccountId, new JsonObject { ["pg_AssignedPartnerId@odata.bind"] = "/accounts(00000000-0000-0000-0000-000000000002)" }, CancellationToken.None));

        var request = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Patch, request.Method);
        Assert.Equal("*", request.Header("If-Match"));
        Assert.Equal("/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)?tag=PartnerGuard", request.PathAndQuery);
        Assert.Equal("""{"pg_AssignedPartnerId@odata.bind":"/accounts(00000000-0000-0000-0000-000000000002)"}""", request.Body);
        Assert.Equal(HttpStatusCode.NotFound, error.Error.Status);
        Assert.Equal("0x80040217", error.Error.Code);
        Assert.True(error.Error.IsNotFound);
        Assert.StartsWith("account With Id", error.Error.Message, StringComparison.Ordinal);
    }

    // Doc: "Web API plug-in errors" — a plug-in's InvalidPluginExecutionException surfaces as 400 with 0x80040265
    // and the plug-in's message; SubErrorCode comes as an annotation when ErrorDetails annotations are asked for.
    [Fact]
    public void ErrorParser_ReadsPluginErrorsAndNonJsonBodies()
    {
        var plugin = DataverseErrorParser.Parse(HttpStatusCode.BadRequest,
            """{"error":{"code":"0x80040265","message":"This opportunity needs a partner. (PartnerGuard PG-001)","@Microsoft.PowerApps.CDS.ErrorDetails.SubErrorCode":1001}}""");
        var gateway = DataverseErrorParser.Parse(HttpStatusCode.BadGateway, "<html>Bad gateway</html>");

        Assert.True(plugin.IsPluginMessage);
        Assert.Equal(1001, plugin.SubErrorCode);
        Assert.EndsWith("(PartnerGuard PG-001)", plugin.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, gateway.Code);
        Assert.Contains("Bad gateway", gateway.Message, StringComparison.Ordinal);
    }

    // Doc: "Service protection API limits" — 429 carries Retry-After in seconds; wait that long, then resend.
    [Fact]
    public async Task Throttling_WaitsExactlyTheRetryAfterEachTime()
    {
        var transport = Sequence(
            () => Throttled(7),
            () => Throttled(1),
            () => Json(HttpStatusCode.OK, """{"BusinessUnitId":"a1000000-0000-0000-0000-000000000000","UserId":"b2000000-0000-0000-0000-000000000000","OrganizationId":"c3000000-0000-0000-0000-000000000000"}"""));
        var client = WebApiTestHarness.Create(transport, out var time);

        var me = await client.WhoAmIAsync(CancellationToken.None);

        Assert.Equal(Guid.Parse("b2000000-0000-0000-0000-000000000000"), me.UserId);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(1)], time.Waits);
        Assert.Equal(3, transport.Requests.Count);
    }

    [Fact]
    public async Task Throttling_RetryAfterBeyondTheTotalBudget_IsReturnedNotAwaited()
    {
        var transport = Sequence(() => Throttled(30), () => Throttled(30), () => Throttled(3600));
        var options = new WebApiOptions { AttemptTimeout = null, TotalTimeout = TimeSpan.FromMinutes(10) };
        var client = WebApiTestHarness.Create(transport, out var time, options);

        var error = await Assert.ThrowsAsync<DataverseException>(() => client.WhoAmIAsync(CancellationToken.None));

        Assert.True(error.Error.IsThrottling);
        Assert.Equal("0x80072322", error.Error.Code);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)], time.Waits);
    }

    [Fact]
    public async Task TransientServerErrors_AreRetriedWithGrowingJitteredBackoff()
    {
        var transport = Sequence(
            () => Json(HttpStatusCode.ServiceUnavailable, """{"error":{"code":"","message":"Service Unavailable"}}"""),
            () => Json(HttpStatusCode.BadGateway, "Bad gateway"),
            () => Json(HttpStatusCode.ServiceUnavailable, "busy"),
            () => NoContent());
        var options = new WebApiOptions { AttemptTimeout = null, RetryBaseDelay = TimeSpan.FromSeconds(2), RetryMaxDelay = TimeSpan.FromSeconds(60) };
        var client = WebApiTestHarness.Create(transport, out var time, options);

        await client.UpdateAsync("accounts", AccountId, new JsonObject { ["name"] = "x" }, CancellationToken.None);

        Assert.Equal(4, transport.Requests.Count);
        Assert.Equal(3, time.Waits.Count);
        Assert.All(time.Waits, w => Assert.InRange(w, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60)));
        // Jittered: the waits are not the fixed 2 s, 4 s, 8 s of plain exponential back-off.
        Assert.NotEqual([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], time.Waits);
    }

    [Fact]
    public async Task NonTransientErrors_AreNotRetried()
    {
        var transport = Sequence(() => Json(HttpStatusCode.Forbidden,
            """{"error":{"code":"0x80040220","message":"Principal user is missing prvWriteAccount privilege"}}"""));
        var client = WebApiTestHarness.Create(transport, out var time);

        var error = await Assert.ThrowsAsync<DataverseException>(() => client.UpdateAsync("accounts", AccountId, new JsonObject(), CancellationToken.None));

        Assert.Equal("0x80040220", error.Error.Code);
        Assert.Single(transport.Requests);
        Assert.Empty(time.Waits);
    }

    // Doc: "Use UpdateMultiple" (bulk operations) — POST {set}/Microsoft.Dynamics.CRM.UpdateMultiple with Targets,
    // each with @odata.type and the primary key; standard tables answer 204.
    [Fact]
    public async Task UpdateMultiple_PostsTargetsWithODataType()
    {
        var transport = Sequence(() => NoContent());
        var client = WebApiTestHarness.Create(transport, out _);
        var partner = "/accounts(00000000-0000-0000-0000-0000000000aa)";

        await client.UpdateMultipleAsync("account", "accounts", "accountid",
        [
            (AccountId, new JsonObject { ["pg_AssignedPartnerId@odata.bind"] = partner }),
            (Guid.Parse("00000000-0000-0000-0000-000000000002"), new JsonObject { ["pg_AssignedPartnerId@odata.bind"] = partner }),
        ], CancellationToken.None);

        var request = Assert.Single(transport.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/data/v9.2/accounts/Microsoft.Dynamics.CRM.UpdateMultiple?tag=PartnerGuard", request.PathAndQuery);
        var targets = JsonNode.Parse(request.Body!)!["Targets"]!.AsArray();
        Assert.Equal(2, targets.Count);
        Assert.All(targets, t => Assert.Equal("Microsoft.Dynamics.CRM.account", (string?)t!["@odata.type"]));
        Assert.Equal("00000000-0000-0000-0000-000000000001", (string?)targets[0]!["accountid"]);
        Assert.Equal(partner, (string?)targets[1]!["pg_AssignedPartnerId@odata.bind"]);
    }

    // webapi-notes §3.2: the sdkmessagefilter probe; one row means the table supports UpdateMultiple.
    [Fact]
    public async Task SupportsUpdateMultiple_ReadsTheMessageFilterOnce()
    {
        var transport = new FakeDataverseHandler(r => r.PathAndQuery.Contains("'contact'", StringComparison.Ordinal)
            ? Json(HttpStatusCode.OK, """{"value":[]}""")
            : Json(HttpStatusCode.OK, """{"value":[{"sdkmessagefilterid":"4a4bfb2e-0000-0000-0000-000000000000"}]}"""));
        var client = WebApiTestHarness.Create(transport, out _);

        Assert.True(await client.SupportsUpdateMultipleAsync("account", CancellationToken.None));
        Assert.True(await client.SupportsUpdateMultipleAsync("account", CancellationToken.None));
        Assert.False(await client.SupportsUpdateMultipleAsync("contact", CancellationToken.None));

        Assert.Equal(2, transport.Requests.Count);
        Assert.Contains("$filter=sdkmessageid/name eq 'UpdateMultiple' and primaryobjecttypecode eq 'account'", transport.Requests[0].PathAndQuery, StringComparison.Ordinal);
    }

    // webapi-notes §4.4: every response carries x-ms-dop-hint; parallelism follows it, bounded by the option.
    [Theory]
    [InlineData("4", 16, 4)]
    [InlineData("50", 16, 16)]
    [InlineData(null, 16, 1)]
    public async Task Parallelism_FollowsTheDopHintWithinTheBound(string? hint, int maximum, int expected)
    {
        var headers = hint is null ? Array.Empty<(string, string)>() : [("x-ms-dop-hint", hint)];
        var transport = Sequence(() => Json(HttpStatusCode.OK,
            """{"BusinessUnitId":"a1000000-0000-0000-0000-000000000000","UserId":"b2000000-0000-0000-0000-000000000000","OrganizationId":"c3000000-0000-0000-0000-000000000000"}""", headers));
        var client = WebApiTestHarness.Create(transport, out _, new WebApiOptions { AttemptTimeout = null, MaxDegreeOfParallelism = maximum });

        await client.WhoAmIAsync(CancellationToken.None);

        Assert.Equal(expected, client.Parallelism);
    }

    private static string Page(IEnumerable<string> names, string? nextLink)
    {
        var page = new JsonObject
        {
            ["@odata.context"] = "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#accounts(name)",
            ["value"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["@odata.etag"] = "W/\"1\"", ["name"] = n }).ToArray()),
        };
        if (nextLink is not null)
        {
            page["@odata.nextLink"] = nextLink;
        }

        return page.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
