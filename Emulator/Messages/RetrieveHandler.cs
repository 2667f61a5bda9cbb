using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Retrieve: one row by id with the columns asked for.</summary>
internal sealed class RetrieveHandler : PipelineMessageHandler
{
    public override string Name => "Retrieve";

    public override bool IsRead => true;

    public override string? TableSeenBySteps(OrganizationRequest request)
        => request.Parameters.TryGetValue("Target", out var target) ? (target as EntityReference)?.LogicalName : null;

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<EntityReference>(request, "Target");
        var table = org.Metadata.GetExact(target.LogicalName);
        if (!request.Parameters.Contains("ColumnSet"))
        {
            throw OrgFaults.RequiredParameter(Name, "ColumnSet");
        }

        _ = org.Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        var target = (EntityReference)request.Parameters["Target"];
        var columns = request.Parameters["ColumnSet"] as ColumnSet
            ?? throw OrgFaults.RequiredParameter(Name, "ColumnSet");
        var row = org.Store.Find(main.Table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(main.Table.LogicalName, target.Id);
        org.Security.Demand(caller, Security.PrivilegeAccess.Read, main.Table, row.Id, row.Values);
        var entity = org.ToEntity(main.Table, row, columns);
        var response = new RetrieveResponse { ResponseName = Name };
        response.Results["Entity"] = entity;
        main.Output["BusinessEntity"] = entity;
        return response;
    }
}
