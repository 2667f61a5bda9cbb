using Microsoft.Crm.Sdk.Messages;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>SetState: sets statecode and (unless -1) statuscode.</summary>
internal sealed class SetStateHandler : PipelineMessageHandler
{
    public override string Name => "SetState";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<EntityReference>(request, "EntityMoniker");
        RequestParameters.Required<OptionSetValue>(request, "State");
        RequestParameters.Required<OptionSetValue>(request, "Status");
        var table = org.Metadata.GetExact(target.LogicalName);
        if (!table.HasState)
        {
            throw OrgFaults.InvalidArgument($"The {table.LogicalName} table has no statecode.");
        }

        var pre = org.Store.Find(table.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(table.LogicalName, target.Id);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id, PreRow = pre }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        var target = (EntityReference)request.Parameters["EntityMoniker"];
        var state = (OptionSetValue)request.Parameters["State"];
        var status = (OptionSetValue)request.Parameters["Status"];
        var change = new Entity(main.Table.LogicalName, target.Id) { ["statecode"] = new OptionSetValue(state.Value) };
        if (status.Value != -1)
        {
            change["statuscode"] = new OptionSetValue(status.Value);
        }

        main.PostRow = org.UpdateRow(change, caller, ConcurrencyBehavior.Default).After;
        return new SetStateResponse { ResponseName = Name };
    }
}
