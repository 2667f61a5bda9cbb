using System.Net;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;
using static PartnerGuard.Integration.Tests.Support.FakeDataverseHandler;

namespace PartnerGuard.Integration.Tests.WebApi;

// Request and response shapes: docs "Execute batch operations using the Web API" (powerapps-docs
// webapi/execute-batch-operations-using-web-api.md, 01/2023); the response bodies below are its examples.
public class BatchTests
{
    private static readonly Uri ApiRoot = new("https://contoso.crm.dynamics.com/api/data/v9.2/");

    private static BatchOperation Patch(int n) => BatchOperation.UpdateOnly(
        $"accounts(00000000-0000-0000-0000-00000000000{n})",
        new JsonObject { ["pg_AssignedPartnerId@odata.bind"] = "/accounts(00000000-0000-0000-0000-0000000000aa)" });

    [Fact]
    public void Write_SinglesAndChangeSet_MatchTheDocumentedFormat()
    {
        var request = new BatchRequest([new BatchSingle(Patch(1)), new BatchChangeSet([Patch(2), Patch(3)])], ContinueOnError: true);

        var (body, contentType) = BatchWriter.Write(request, ApiRoot, "run1");

        Assert.Equal("multipart/mixed; boundary=\"batch_run1\"", contentType);
        const string expected =
            "--batch_run1\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "\r\n" +
            "PATCH https://contoso.crm.dynamics.com/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001) HTTP/1.1\r\n" +
            "Content-Type: application/json; type=entry\r\n" +
            "If-Match: *\r\n" +
            "\r\n" +
            "{\"pg_AssignedPartnerId@odata.bind\":\"/accounts(00000000-0000-0000-0000-0000000000aa)\"}\r\n" +
            "--batch_run1\r\n" +
            "Content-Type: multipart/mixed; boundary=\"changeset_run1_1\"\r\n" +
            "\r\n" +
            "--changeset_run1_1\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "Content-ID: 1\r\n" +
            "\r\n" +
            "PATCH https://contoso.crm.dynamics.com/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000002) HTTP/1.1\r\n" +
            "Content-Type: application/json; type=entry\r\n" +
            "If-Match: *\r\n" +
            "\r\n" +
            "{\"pg_AssignedPartnerId@odata.bind\":\"/accounts(00000000-0000-0000-0000-0000000000aa)\"}\r\n" +
            "--changeset_run1_1\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "Content-ID: 2\r\n" +
            "\r\n" +
            "PATCH https://contoso.crm.dynamics.com/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000003) HTTP/1.1\r\n" +
            "Content-Type: application/json; type=entry\r\n" +
            "If-Match: *\r\n" +
            "\r\n" +
            "{\"pg_AssignedPartnerId@odata.bind\":\"/accounts(00000000-0000-0000-0000-0000000000aa)\"}\r\n" +
            "--changeset_run1_1--\r\n" +
            "--batch_run1--\r\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public void Write_RefusesMoreThanTheServiceLimit()
    {
        var request = new BatchRequest(Enumerable.Range(0, 1001).Select(_ => (BatchItem)new BatchSingle(Patch(1))).ToList(), true);

        var error = Assert.Throws<ArgumentException>(() => BatchWriter.Write(request, ApiRoot, "x"));

        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ContinueOnError_ReportsEachPart()
    {
        var transport = Sequence(() => Multipart(HttpStatusCode.OK, "batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139", ContinueOnErrorResponse));
        var client = WebApiTestHarness.Create(transport, out _, batchIds: () => "b1");
        var request = new BatchRequest([new BatchSingle(Patch(1)), new BatchSingle(Patch(2)), new BatchSingle(Patch(3))], ContinueOnError: true);

        var outcomes = await client.ExecuteBatchAsync(request, CancellationToken.None);

        var sent = Assert.Single(transport.Requests);
        Assert.Equal("/api/data/v9.2/$batch", sent.PathAndQuery);
        Assert.Equal("odata.continue-on-error", sent.Header("Prefer"));
        Assert.StartsWith("multipart/mixed; boundary=\"batch_b1\"", sent.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal([BatchOutcomeKind.Failed, BatchOutcomeKind.Succeeded, BatchOutcomeKind.Succeeded], outcomes.Select(o => o.Kind));
        Assert.Equal("0x80044331", outcomes[0].Error!.Code);
        Assert.Equal(HttpStatusCode.BadRequest, outcomes[0].Error!.Status);
        Assert.Equal(HttpStatusCode.NoContent, outcomes[1].Response!.Status);
        Assert.Equal("[Organization Uri]/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)", outcomes[1].Response!.Headers["OData-EntityId"]);
    }

    [Fact]
    public async Task Execute_WithoutContinueOnError_LaterOperationsAreNotExecuted()
    {
        var transport = Sequence(() => Multipart(HttpStatusCode.BadRequest, "batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a", StopOnErrorResponse));
        var client = WebApiTestHarness.Create(transport, out _);
        var request = new BatchRequest([new BatchSingle(Patch(1)), new BatchSingle(Patch(2)), new BatchSingle(Patch(3))], ContinueOnError: false);

        var outcomes = await client.ExecuteBatchAsync(request, CancellationToken.None);

        Assert.Null(Assert.Single(transport.Requests).Header("Prefer"));
        Assert.Equal([BatchOutcomeKind.Failed, BatchOutcomeKind.NotExecuted, BatchOutcomeKind.NotExecuted], outcomes.Select(o => o.Kind));
        Assert.Contains("maximum allowed length", outcomes[0].Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChangeSetResponse_MatchesByContentId()
    {
        var items = BatchResponseParser.Parse(ChangeSetResponse, "multipart/mixed; boundary=batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f");
        var request = new BatchRequest([new BatchChangeSet([Patch(1), Patch(2), Patch(3)]), new BatchSingle(new BatchOperation(HttpMethod.Get, "tasks"))], false);

        var outcomes = BatchResponseParser.Match(request, items);

        Assert.Equal(2, items.Count);
        var set = Assert.IsType<BatchResponseChangeSet>(items[0]);
        Assert.Equal(["1", "2", "3"], set.Responses.Select(r => r.ContentId));
        Assert.All(outcomes, o => Assert.Equal(BatchOutcomeKind.Succeeded, o.Kind));
        Assert.Contains("Task 3 in batch", outcomes[3].Response!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_FailedChangeSet_FailsEveryOperationInIt()
    {
        // A change set that fails rolls back as a unit; the service answers one error part for it.
        const string body =
            "--batchresponse_1\n" +
            "Content-Type: application/http\n" +
            "Content-Transfer-Encoding: binary\n" +
            "\n" +
            "HTTP/1.1 400 Bad Request\n" +
            "Content-Type: application/json; odata.metadata=minimal\n" +
            "\n" +
            "{\"error\":{\"code\":\"0x80040265\",\"message\":\"Blocked by a plug-in.\"}}\n" +
            "--batchresponse_1--\n";
        var request = new BatchRequest([new BatchChangeSet([Patch(1), Patch(2)])], true);

        var outcomes = BatchResponseParser.Match(request, BatchResponseParser.Parse(body, null));

        Assert.All(outcomes, o =>
        {
            Assert.Equal(BatchOutcomeKind.Failed, o.Kind);
            Assert.Equal("0x80040265", o.Error!.Code);
        });
    }

    [Fact]
    public async Task Execute_RefusedBatch_ThrowsTheParsedError()
    {
        var transport = Sequence(() => Json(HttpStatusCode.BadRequest, """{"error":{"code":"0x80048d19","message":"Error identified in Payload provided by the user for Entity :''"}}"""));
        var client = WebApiTestHarness.Create(transport, out _);

        var error = await Assert.ThrowsAsync<DataverseException>(() => client.ExecuteBatchAsync(new BatchRequest([new BatchSingle(Patch(1))], true), CancellationToken.None));

        Assert.Equal("0x80048d19", error.Error.Code);
    }

    private const string ContinueOnErrorResponse = """
        --batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 400 Bad Request
        REQ_ID: de4c5227-4a28-4ebd-8ced-3392ece1697b
        Content-Type: application/json; odata.metadata=minimal
        OData-Version: 4.0

        {"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}
        --batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 204 No Content
        OData-Version: 4.0
        Location: [Organization Uri]/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)
        OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)


        --batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 204 No Content
        OData-Version: 4.0
        Location: [Organization Uri]/api/data/v9.2/tasks(b181a991-3c94-ed11-aad1-000d3a9933c9)
        OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(b181a991-3c94-ed11-aad1-000d3a9933c9)


        --batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139--

        """;

    private const string StopOnErrorResponse = """
        --batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 400 Bad Request
        REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026
        Content-Type: application/json; odata.metadata=minimal
        OData-Version: 4.0

        {"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}
        --batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--

        """;

    private const string ChangeSetResponse = """
        --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
        Content-Type: multipart/mixed; boundary=changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15

        --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
        Content-Type: application/http
        Content-Transfer-Encoding: binary
        Content-ID: 1

        HTTP/1.1 204 No Content
        OData-Version: 4.0
        Location: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
        OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


        --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
        Content-Type: application/http
        Content-Transfer-Encoding: binary
        Content-ID: 2

        HTTP/1.1 204 No Content
        OData-Version: 4.0
        Location: [Organization Uri]/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)
        OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)


        --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
        Content-Type: application/http
        Content-Transfer-Encoding: binary
        Content-ID: 3

        HTTP/1.1 204 No Content
        OData-Version: 4.0
        Location: [Organization Uri]/api/data/v9.2/tasks(e93ffc82-e292-ed11-aad1-000d3a9933c9)
        OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e93ffc82-e292-ed11-aad1-000d3a9933c9)


        --changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15--
        --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 200 OK
        Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
        OData-Version: 4.0

        {
          "@odata.context": "[Organization Uri]/api/data/v9.2/$metadata#tasks(subject)",
          "value": [
            {
              "@odata.etag": "W/\"77181173\"",
              "subject": "Task 1 in batch",
              "activityid": "e73ffc82-e292-ed11-aad1-000d3a9933c9"
            },
            {
              "@odata.etag": "W/\"77181179\"",
              "subject": "Task 3 in batch",
              "activityid": "e93ffc82-e292-ed11-aad1-000d3a9933c9"
            }
          ]
        }
        --batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f--

        """;
}
