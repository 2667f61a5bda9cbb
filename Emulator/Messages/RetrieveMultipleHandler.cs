using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Query;

namespace PartnerGuard.Emulator.Messages;

/// <summary>RetrieveMultiple: a QueryExpression, QueryByAttribute or FetchXML query, run by the query engine.</summary>
internal sealed class RetrieveMultipleHandler : PipelineMessageHandler
{
    public override string Name => "RetrieveMultiple";

    public override bool IsRead => true;

    public override string? TableSeenBySteps(OrganizationRequest request)
        => request.Parameters.TryGetValue("Query", out var query) ? query switch
        {
            QueryExpression q => q.EntityName,
            QueryByAttribute q => q.EntityName,
            FetchExpression f => FetchXmlParser.EntityNameOf(f.Query),
            _ => null,
        } : null;

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var query = RequestParameters.Required<QueryBase>(request, "Query");
        var tableName = query switch
        {
            QueryExpression q => q.EntityName,
            QueryByAttribute q => q.EntityName,
            FetchExpression f => FetchXmlParser.EntityNameOf(f.Query),
            _ => throw OrgFaults.InvalidArgument($"Unsupported query type '{query.GetType().Name}'."),
        };
        return new Invocation { Message = Name, Table = org.Metadata.GetExact(tableName), Input = request.Parameters }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var result = new QueryEngine(org, caller.UserId, table => org.Security.ReadFilter(caller, table), caller.OrderChoicesByValue).Execute((QueryBase)request.Parameters["Query"]);
        var response = new RetrieveMultipleResponse { ResponseName = Name };
        response.Results["EntityCollection"] = result;
        operation[0].Output["BusinessEntityCollection"] = result;
        return response;
    }
}
