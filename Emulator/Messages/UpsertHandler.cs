using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Upsert: an Update when the row exists, else a Create, each through its own pipeline.</summary>
internal sealed class UpsertHandler : PipelineMessageHandler
{
    public override string Name => "Upsert";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<Entity>(request, "Target");
        var table = org.Metadata.GetExact(target.LogicalName);
        return new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = DataverseOrg.IdOf(table, target, required: false) }.Alone();
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        var target = (Entity)request.Parameters["Target"];
        var exists = main.PrimaryId != Guid.Empty && org.Store.Find(main.Table.LogicalName, main.PrimaryId) is not null;
        var inner = new OrganizationRequest(exists ? "Update" : "Create");
        inner.Parameters["Target"] = target;
        org.RunPipeline(inner, caller);
        var id = exists ? main.PrimaryId : target.Id;
        main.PrimaryId = id;
        var response = new UpsertResponse { ResponseName = Name };
        response.Results["RecordCreated"] = !exists;
        response.Results["Target"] = new EntityReference(main.Table.LogicalName, id);
        main.Output["RecordCreated"] = !exists;
        main.Output["Target"] = new EntityReference(main.Table.LogicalName, id);
        return response;
    }
}
