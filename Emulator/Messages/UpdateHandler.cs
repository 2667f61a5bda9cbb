using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Update: changes a row; a single Update also fires the table's UpdateMultiple steps (merged pipeline).</summary>
internal sealed class UpdateHandler : PipelineMessageHandler
{
    public override string Name => "Update";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<Entity>(request, "Target");
        var table = org.Metadata.GetExact(target.LogicalName);
        var id = DataverseOrg.IdOf(table, target, required: true);
        var pre = org.Store.Find(table.LogicalName, id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, id);
        var list = new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = id, PreRow = pre }.Alone();
        org.AddCompanion(list, "UpdateMultiple", table, target, caller, pre);
        return list;
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var (_, after) = org.UpdateRow((Entity)request.Parameters["Target"], caller, RequestParameters.ConcurrencyOf(request));
        operation[0].PostRow = after;
        foreach (var companion in operation.Skip(1))
        {
            companion.PostRows = new Row?[] { after };
        }

        return new UpdateResponse { ResponseName = Name };
    }
}
