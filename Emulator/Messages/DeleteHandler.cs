using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Delete: removes a row (steps get its pre image).</summary>
internal sealed class DeleteHandler : PipelineMessageHandler
{
    public override string Name => "Delete";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<EntityReference>(request, "Target");
        var table = org.Metadata.GetExact(target.LogicalName);
        var pre = org.Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id, PreRow = pre }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        org.Security.Demand(caller, Security.PrivilegeAccess.Delete, main.Table, main.PrimaryId, main.PreRow?.Values);
        org.DeleteRow((EntityReference)request.Parameters["Target"], RequestParameters.ConcurrencyOf(request));
        return new DeleteResponse { ResponseName = Name };
    }
}
