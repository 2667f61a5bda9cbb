using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

// Fact: typed requests and responses are thin views over the Parameters/Results bags. Each request's
// parameterless constructor sets RequestName to the message name; each typed property reads and writes
// Parameters["<PropertyName>"]; typed responses read Results["<key>"], with CreateResponse using the
// lower-case key "id". Source: shared/reference/sdk-and-pipeline-notes.md §0.5, §3.4, §3.6 and §3.7 (from the
// string literals in the official IL), and xrm-sdk-api.txt (CreateResponse.id is lower-case).
public sealed class RequestResponseTests
{
    private static readonly Guid SomeId = new("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    public static TheoryData<OrganizationRequest, string> RequestNames => new()
    {
        { new CreateRequest(), "Create" },
        { new UpdateRequest(), "Update" },
        { new DeleteRequest(), "Delete" },
        { new RetrieveRequest(), "Retrieve" },
        { new RetrieveMultipleRequest(), "RetrieveMultiple" },
        { new UpsertRequest(), "Upsert" },
        { new CreateMultipleRequest(), "CreateMultiple" },
        { new UpdateMultipleRequest(), "UpdateMultiple" },
        { new UpsertMultipleRequest(), "UpsertMultiple" },
        { new ExecuteMultipleRequest(), "ExecuteMultiple" },
        { new ExecuteTransactionRequest(), "ExecuteTransaction" },
        { new AssociateRequest(), "Associate" },
        { new DisassociateRequest(), "Disassociate" },
        { new AssignRequest(), "Assign" },
        { new WhoAmIRequest(), "WhoAmI" },
        { new SetStateRequest(), "SetState" },
    };

    // Official behaviour, established by running the same probe against the official 9.0.2.56 assemblies
    // (XrmSdk/README.md, "Checked against the official SDK"): each typed request's constructor sets RequestName
    // and adds its main parameters with null values (the expected keys, in order); WhoAmI adds none.
    [Theory]
    [MemberData(nameof(RequestNames))]
    public void Constructor_SetsRequestName_AndAddsItsParametersAsNull(OrganizationRequest request, string expected)
    {
        Assert.Equal(expected, request.RequestName);
        Assert.Equal(ExpectedNullParameters[expected], request.Parameters.Select(p => p.Key).ToArray());
        Assert.All(request.Parameters, p => Assert.Null(p.Value));
    }

    private static readonly Dictionary<string, string[]> ExpectedNullParameters = new(StringComparer.Ordinal)
    {
        ["Create"] = ["Target"],
        ["Update"] = ["Target"],
        ["Delete"] = ["Target"],
        ["Retrieve"] = ["Target", "ColumnSet"],
        ["RetrieveMultiple"] = ["Query"],
        ["Upsert"] = ["Target"],
        ["CreateMultiple"] = ["Targets"],
        ["UpdateMultiple"] = ["Targets"],
        ["UpsertMultiple"] = ["Targets"],
        ["ExecuteMultiple"] = ["Requests", "Settings"],
        ["ExecuteTransaction"] = ["Requests"],
        ["Associate"] = ["Target", "Relationship", "RelatedEntities"],
        ["Disassociate"] = ["Target", "Relationship", "RelatedEntities"],
        ["Assign"] = ["Target", "Assignee"],
        ["SetState"] = ["EntityMoniker", "State", "Status"],
        ["WhoAmI"] = [],
    };

    [Fact]
    public void OrganizationRequest_NameConstructorAndIndexer_UseTheBag()
    {
        var request = new OrganizationRequest("pg_Recalculate") { ["Target"] = "x" };

        Assert.Equal("pg_Recalculate", request.RequestName);
        Assert.Equal("x", request.Parameters["Target"]);
        Assert.Null(new OrganizationRequest().RequestName);
        Assert.Null(request.RequestId);
    }

    [Fact]
    public void CreateRequest_Target_IsParametersTarget()
    {
        var target = new Entity("account");
        var request = new CreateRequest { Target = target };

        Assert.Same(target, request.Parameters["Target"]);

        var other = new Entity("contact");
        request.Parameters["Target"] = other;
        Assert.Same(other, request.Target);
    }

    [Fact]
    public void TypedProperties_AbsentKey_ReadAsDefault()
    {
        Assert.Null(new CreateRequest().Target);
        Assert.Equal(ConcurrencyBehavior.Default, new UpdateRequest().ConcurrencyBehavior);
        Assert.Null(new ExecuteTransactionRequest().ReturnResponses);
        Assert.False(new RetrieveRequest().ReturnNotifications);
    }

    [Fact]
    public void CreateResponse_Id_ReadsLowerCaseIdResult()
    {
        var response = new CreateResponse();
        response.Results["id"] = SomeId;

        Assert.Equal(SomeId, response.id);
        Assert.Equal(SomeId, response["id"]);
        Assert.Null(response.ResponseName);
    }

    [Fact]
    public void UpdateAndDeleteRequests_StoreTargetAndConcurrency()
    {
        var update = new UpdateRequest { Target = new Entity("account", SomeId), ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches };
        var delete = new DeleteRequest { Target = new EntityReference("account", SomeId), ConcurrencyBehavior = ConcurrencyBehavior.AlwaysOverwrite };

        Assert.Equal(ConcurrencyBehavior.IfRowVersionMatches, update.Parameters["ConcurrencyBehavior"]);
        Assert.Equal(SomeId, ((Entity)update.Parameters["Target"]).Id);
        Assert.Equal(ConcurrencyBehavior.AlwaysOverwrite, delete.ConcurrencyBehavior);
        Assert.Equal(new EntityReference("account", SomeId), delete.Parameters["Target"]);
    }

    [Fact]
    public void UpdateMultipleRequest_Targets_IsParametersTargets()
    {
        var targets = new EntityCollection(new List<Entity> { new("account", SomeId) }) { EntityName = "account" };
        var request = new UpdateMultipleRequest { Targets = targets };

        Assert.Equal("UpdateMultiple", request.RequestName);
        Assert.Same(targets, request.Parameters["Targets"]);
    }

    [Fact]
    public void CreateMultipleResponse_Ids_ReadsIdsResult()
    {
        var response = new CreateMultipleResponse();
        response.Results["Ids"] = new[] { SomeId };

        Assert.Equal(new[] { SomeId }, response.Ids);
    }

    [Fact]
    public void UpsertRequestAndResponse_UseTargetAndRecordCreated()
    {
        var request = new UpsertRequest { Target = new Entity("account", "accountnumber", "A-1") };
        var response = new UpsertResponse();
        response.Results["RecordCreated"] = true;
        response.Results["Target"] = new EntityReference("account", SomeId);

        Assert.Same(request.Target, request.Parameters["Target"]);
        Assert.True(response.RecordCreated);
        Assert.Equal(new EntityReference("account", SomeId), response.Target);
    }

    [Fact]
    public void UpsertMultipleResponse_Results_ReadsResultsKey_AndHidesTheBag()
    {
        var item = new UpsertResponse();
        var response = new UpsertMultipleResponse();
        ((OrganizationResponse)response).Results["Results"] = new[] { item };

        Assert.Same(item, Assert.Single(response.Results));
    }

    [Fact]
    public void RetrieveRequestAndResponse_UseTargetColumnSetAndEntity()
    {
        var columns = new ColumnSet("name");
        var request = new RetrieveRequest { Target = new EntityReference("account", SomeId), ColumnSet = columns };
        var entity = new Entity("account", SomeId);
        var response = new RetrieveResponse();
        response.Results["Entity"] = entity;

        Assert.Same(columns, request.Parameters["ColumnSet"]);
        Assert.Equal(new EntityReference("account", SomeId), request.Parameters["Target"]);
        Assert.Same(entity, response.Entity);
    }

    [Fact]
    public void RetrieveMultipleRequestAndResponse_UseQueryAndEntityCollection()
    {
        var query = new QueryExpression("account");
        var request = new RetrieveMultipleRequest { Query = query };
        var collection = new EntityCollection();
        var response = new RetrieveMultipleResponse();
        response.Results["EntityCollection"] = collection;

        Assert.Same(query, request.Parameters["Query"]);
        Assert.Same(collection, response.EntityCollection);
    }

    [Fact]
    public void ExecuteMultipleRequestAndResponse_UseRequestsSettingsAndResponses()
    {
        var requests = new OrganizationRequestCollection { new CreateRequest { Target = new Entity("account") } };
        var settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true };
        var request = new ExecuteMultipleRequest { Requests = requests, Settings = settings };
        var items = new ExecuteMultipleResponseItemCollection
        {
            new ExecuteMultipleResponseItem { RequestIndex = 0, Fault = new OrganizationServiceFault { ErrorCode = -2147220891, Message = "Blocked" } },
        };
        var response = new ExecuteMultipleResponse();
        response.Results["IsFaulted"] = true;
        response.Results["Responses"] = items;

        Assert.Same(requests, request.Parameters["Requests"]);
        Assert.Same(settings, request.Parameters["Settings"]);
        Assert.True(response.IsFaulted);
        Assert.Equal("Blocked", Assert.Single(response.Responses).Fault.Message);
    }

    [Fact]
    public void ExecuteTransactionRequest_UsesRequestsAndReturnResponses()
    {
        var requests = new OrganizationRequestCollection { new DeleteRequest { Target = new EntityReference("account", SomeId) } };
        var request = new ExecuteTransactionRequest { Requests = requests, ReturnResponses = true };

        Assert.Same(requests, request.Parameters["Requests"]);
        Assert.Equal(true, request.Parameters["ReturnResponses"]);
        Assert.True(request.ReturnResponses);
    }

    [Fact]
    public void AssociateAndDisassociate_UseTargetRelationshipAndRelatedEntities()
    {
        var related = new EntityReferenceCollection { new EntityReference("contact", SomeId) };
        var associate = new AssociateRequest
        {
            Target = new EntityReference("account", SomeId),
            Relationship = new Relationship("account_primary_contact"),
            RelatedEntities = related,
        };
        var disassociate = new DisassociateRequest { RelatedEntities = related };

        Assert.Equal(new Relationship("account_primary_contact"), associate.Parameters["Relationship"]);
        Assert.Same(related, associate.Parameters["RelatedEntities"]);
        Assert.Same(related, disassociate.Parameters["RelatedEntities"]);
    }

    [Fact]
    public void AssignRequest_UsesTargetAndAssignee()
    {
        var request = new AssignRequest
        {
            Target = new EntityReference("opportunity", SomeId),
            Assignee = new EntityReference("team", SomeId),
        };

        Assert.Equal(new EntityReference("team", SomeId), request.Parameters["Assignee"]);
        Assert.Equal(new EntityReference("opportunity", SomeId), request.Parameters["Target"]);
    }

    [Fact]
    public void SetStateRequest_UsesEntityMonikerStateAndStatus()
    {
        var request = new SetStateRequest
        {
            EntityMoniker = new EntityReference("opportunity", SomeId),
            State = new OptionSetValue(1),
            Status = new OptionSetValue(3),
        };

        Assert.Equal(new EntityReference("opportunity", SomeId), request.Parameters["EntityMoniker"]);
        Assert.Equal(new OptionSetValue(1), request.Parameters["State"]);
        Assert.Equal(new OptionSetValue(3), request.Parameters["Status"]);
    }

    [Fact]
    public void WhoAmIResponse_ReadsUserBusinessUnitAndOrganization()
    {
        Guid user = Guid.NewGuid(), unit = Guid.NewGuid(), org = Guid.NewGuid();
        var response = new WhoAmIResponse();
        response.Results["UserId"] = user;
        response.Results["BusinessUnitId"] = unit;
        response.Results["OrganizationId"] = org;

        Assert.Equal(user, response.UserId);
        Assert.Equal(unit, response.BusinessUnitId);
        Assert.Equal(org, response.OrganizationId);
    }

    [Fact]
    public void OrganizationResponse_IndexerUsesResults()
    {
        var response = new OrganizationResponse { ["Value"] = 5, ResponseName = "pg_Custom" };

        Assert.Equal(5, response.Results["Value"]);
        Assert.Equal("pg_Custom", response.ResponseName);
    }
}
