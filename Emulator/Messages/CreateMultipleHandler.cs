using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Messages;

/// <summary>CreateMultiple: inserts every target of one table; returns their ids in order.</summary>
internal sealed class CreateMultipleHandler : BulkMessageHandler
{
    public override string Name => "CreateMultiple";

    protected override string ItemMessage => "Create";

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var main = operation[0];
        var targets = (EntityCollection)request.Parameters["Targets"];
        var ids = new Guid[targets.Entities.Count];
        var postRows = new Row?[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = org.InsertRow(targets.Entities[i], caller);
            targets.Entities[i].Id = ids[i];
            postRows[i] = org.Store.Find(main.Table.LogicalName, ids[i]);
            var item = operation[i + 1];
            item.PrimaryId = ids[i];
            item.PostRow = postRows[i];
            item.Output["id"] = ids[i];
        }

        main.PostRows = postRows;
        var response = new CreateMultipleResponse { ResponseName = Name };
        response.Results["Ids"] = ids;
        main.Output["Ids"] = ids;
        return response;
    }
}
