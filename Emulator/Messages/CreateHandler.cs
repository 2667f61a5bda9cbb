using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>Create: inserts a row; a single Create also fires the table's CreateMultiple steps (merged pipeline).</summary>
internal sealed class CreateHandler : PipelineMessageHandler
{
    public override string Name => "Create";

    public override List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var target = RequestParameters.Required<Entity>(request, "Target");
        var table = org.Metadata.GetExact(target.LogicalName);
        var list = new Invocation { Message = Name, Table = table, Input = request.Parameters, PrimaryId = target.Id }.Alone();
        org.AddCompanion(list, "CreateMultiple", table, target, caller);
        return list;
    }

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var target = (Entity)request.Parameters["Target"];
        var id = org.InsertRow(target, caller);
        target.Id = id;
        var main = operation[0];
        var row = org.Store.Find(main.Table.LogicalName, id);
        main.PrimaryId = id;
        main.PostRow = row;
        foreach (var companion in operation.Skip(1))
        {
            companion.PostRows = new[] { row };
            companion.Output["Ids"] = new[] { id };
        }

        var response = new CreateResponse { ResponseName = Name };
        response.Results["id"] = id;
        main.Output["id"] = id;
        return response;
    }
}
