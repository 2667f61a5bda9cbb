using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;

namespace PartnerGuard.Emulator.Tests.Messages;

/// <summary>
/// ExecuteMultiple (org-service/execute-multiple-requests.md), ExecuteTransaction (org-service/use-executetransaction.md)
/// and CreateMultiple/UpdateMultiple (bulk-operations.md; validation texts in shared/reference/sdk-and-pipeline-notes.md §4.6).
/// </summary>
public sealed class BatchTests
{
    private static OrganizationRequest CreateAccount(string name) => new CreateRequest { Target = new Entity("account") { ["name"] = name } };

    private static OrganizationRequest Broken() => new CreateRequest { Target = new Entity("account") { ["nosuchcolumn"] = 1 } };

    private static OrganizationRequestCollection SixWithThirdAndFifthFailing()
    {
        var requests = new OrganizationRequestCollection();
        requests.Add(CreateAccount("1"));
        requests.Add(CreateAccount("2"));
        requests.Add(Broken());
        requests.Add(CreateAccount("4"));
        requests.Add(Broken());
        requests.Add(CreateAccount("6"));
        return requests;
    }

    // The documented matrix: 6 requests, #3 and #5 fault → 6, 3, 2 or 1 response items for
    // (ContinueOnError, ReturnResponses) = (true,true), (false,true), (true,false), (false,false).
    [Theory]
    [InlineData(true, true, 6, 4, new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(false, true, 3, 2, new[] { 0, 1, 2 })]
    [InlineData(true, false, 2, 4, new[] { 2, 4 })]
    [InlineData(false, false, 1, 2, new[] { 2 })]
    public void ExecuteMultiple_SettingsMatrix(bool continueOnError, bool returnResponses, int items, int accountsStored, int[] indexes)
    {
        var org = DataverseOrg.Create();
        var response = (ExecuteMultipleResponse)org.GetService().Execute(new ExecuteMultipleRequest
        {
            Requests = SixWithThirdAndFifthFailing(),
            Settings = new ExecuteMultipleSettings { ContinueOnError = continueOnError, ReturnResponses = returnResponses },
        });

        Assert.True(response.IsFaulted);
        Assert.Equal(items, response.Responses.Count);
        Assert.Equal(indexes, response.Responses.Select(r => r.RequestIndex));
        Assert.All(response.Responses.Where(r => r.RequestIndex is 2 or 4), r => Assert.Equal(OrgErrorCodes.QueryBuilderNoAttribute, r.Fault.ErrorCode));
        Assert.All(response.Responses.Where(r => r.Fault is null), r => Assert.IsType<CreateResponse>(r.Response));
        Assert.Equal(accountsStored, org.Count("account"));
    }

    // More than 1,000 requests fault before anything runs, with ErrorDetails["MaxBatchSize"].
    [Fact]
    public void ExecuteMultiple_OverMaxBatchSize_FaultsBeforeRunning()
    {
        var org = DataverseOrg.Create();
        var requests = new OrganizationRequestCollection();
        for (var i = 0; i < 1001; i++)
        {
            requests.Add(CreateAccount("A" + i));
        }

        var fault = Faults.Expect(OrgErrorCodes.ExceededMaxBatchSize, () => org.GetService().Execute(new ExecuteMultipleRequest
        {
            Requests = requests,
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = false },
        }));
        Assert.Equal(1000, fault.ErrorDetails["MaxBatchSize"]);
        Assert.Equal(0, org.Count("account"));
    }

    // ExecuteMultiple cannot be nested: the nested item faults.
    [Fact]
    public void ExecuteMultiple_NestedItemFaults()
    {
        var org = DataverseOrg.Create();
        var inner = new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection(), Settings = new ExecuteMultipleSettings() };
        inner.Requests.Add(CreateAccount("inner"));
        var outer = new OrganizationRequestCollection();
        outer.Add(inner);
        outer.Add(CreateAccount("outer"));
        var response = (ExecuteMultipleResponse)org.GetService().Execute(new ExecuteMultipleRequest
        {
            Requests = outer,
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
        });
        Assert.Equal(OrgErrorCodes.NestedBatchNotAllowed, response.Responses[0].Fault.ErrorCode);
        Assert.Null(response.Responses[1].Fault);
        Assert.Equal(1, org.Count("account"));
    }

    // ExecuteMultiple requires Settings and Requests.
    [Fact]
    public void ExecuteMultiple_MissingSettings_Faults()
    {
        var org = DataverseOrg.Create();
        var fault = Faults.Expect(OrgErrorCodes.InvalidArgument,
            () => org.GetService().Execute(new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection() }));
        Assert.Contains("Settings", fault.Message);
    }

    // ExecuteTransaction is all or nothing; the fault names the zero-based index of the failing request.
    [Fact]
    public void ExecuteTransaction_IsAtomicAndNamesTheFailingIndex()
    {
        var org = DataverseOrg.Create();
        var requests = new OrganizationRequestCollection();
        requests.Add(CreateAccount("1"));
        requests.Add(CreateAccount("2"));
        requests.Add(Broken());
        requests.Add(CreateAccount("4"));

        var fault = Faults.Expect(OrgErrorCodes.QueryBuilderNoAttribute,
            () => org.GetService().Execute(new ExecuteTransactionRequest { Requests = requests }));
        Assert.Equal(2, fault.ErrorDetails["FaultedRequestIndex"]);
        Assert.Equal(0, org.Count("account"));

        requests.RemoveAt(2);
        var response = (ExecuteTransactionResponse)org.GetService().Execute(new ExecuteTransactionRequest { Requests = requests, ReturnResponses = true });
        Assert.Equal(3, org.Count("account"));
        Assert.Equal(3, response.Responses.Count);
        Assert.All(response.Responses, r => Assert.IsType<CreateResponse>(r));
    }

    // CreateMultiple/UpdateMultiple validation messages.
    [Theory]
    [InlineData("missing", "Required field 'Targets' is missing")]
    [InlineData("no entity name", "Required member 'EntityName' missing for field 'Targets'")]
    [InlineData("empty", "cannot be null or empty")]
    [InlineData("mixed tables", "PlatformName = account while this entity has Platform Name: contact")]
    public void BulkValidation(string problem, string message)
    {
        var org = DataverseOrg.Create();
        var request = new CreateMultipleRequest();
        switch (problem)
        {
            case "no entity name":
                request.Targets = new EntityCollection(new List<Entity> { new("account") });
                break;
            case "empty":
                request.Targets = new EntityCollection { EntityName = "account" };
                break;
            case "mixed tables":
                request.Targets = new EntityCollection(new List<Entity> { new("account"), new("contact") }) { EntityName = "account" };
                break;
        }

        var fault = Faults.Expect(OrgErrorCodes.InvalidArgument, () => org.GetService().Execute(request));
        Assert.Contains(message, fault.Message);
    }

    // On standard tables a failing item rolls back the whole bulk request.
    [Fact]
    public void UpdateMultiple_FailingItem_RollsBackAll()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var a = service.Create(new Entity("account") { ["name"] = "A" });
        var b = service.Create(new Entity("account") { ["name"] = "B" });
        var targets = new EntityCollection(new List<Entity>
        {
            new("account", a) { ["name"] = "A2" },
            new("account", b) { ["name"] = new string('x', 500) },
        }) { EntityName = "account" };

        Faults.Expect(OrgErrorCodes.StringLengthTooLong, () => service.Execute(new UpdateMultipleRequest { Targets = targets }));
        Assert.Equal("A", service.Retrieve("account", a, new ColumnSet("name"))["name"]);

        targets.Entities[1]["name"] = "B2";
        service.Execute(new UpdateMultipleRequest { Targets = targets });
        Assert.Equal("B2", service.Retrieve("account", b, new ColumnSet("name"))["name"]);
    }

    // UpdateMultiple of a missing row faults with ObjectDoesNotExist.
    [Fact]
    public void UpdateMultiple_MissingRow_Faults()
    {
        var org = DataverseOrg.Create();
        var targets = new EntityCollection(new List<Entity> { new("account", Guid.NewGuid()) { ["name"] = "x" } }) { EntityName = "account" };
        Faults.Expect(OrgErrorCodes.ObjectDoesNotExist, () => org.GetService().Execute(new UpdateMultipleRequest { Targets = targets }));
    }
}
