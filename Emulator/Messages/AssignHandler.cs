using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Assign: sets the owner of a user- or team-owned row.</summary>
internal sealed class AssignHandler : PipelineMessageHandler
{
    public override string Name => "Assign";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<EntityReference>(request, "Target");
        var assignee = RequestParameters.Required<EntityReference>(request, "Assignee");
        var table = org.Metadata.GetExact(target.LogicalName);
        if (!table.IsUserOwned)
        {
            throw OrgFaults.InvalidArgument($"The {table.LogicalName} table is not user- or team-owned and cannot be assigned.");
        }

        if (assignee.LogicalName is not ("systemuser" or "team"))
        {
            throw OrgFaults.InvalidArgument($"The assignee must be a systemuser or a team, not '{assignee.LogicalName}'.");
        }

        var pre = org.Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id, PreRow = pre }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        var target = (EntityReference)request.Parameters["Target"];
        var assignee = (EntityReference)request.Parameters["Assignee"];
        var change = new Entity(main.Table.LogicalName, target.Id) { ["ownerid"] = new EntityReference(assignee.LogicalName, assignee.Id) };
        main.PostRow = org.UpdateRow(change, caller, ConcurrencyBehavior.Default, Security.PrivilegeAccess.Assign).After;
        return new AssignResponse { ResponseName = Name };
    }
}
