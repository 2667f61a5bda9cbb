using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Messages;

/// <summary>UpdateMultiple: updates every target of one table.</summary>
internal sealed class UpdateMultipleHandler : BulkMessageHandler
{
    public override string Name => "UpdateMultiple";

    protected override string ItemMessage => "Update";

    public override OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller)
    {
        var targets = (EntityCollection)request.Parameters["Targets"];
        var concurrency = RequestParameters.ConcurrencyOf(request);
        var postRows = new Row?[targets.Entities.Count];
        for (var i = 0; i < postRows.Length; i++)
        {
            postRows[i] = org.UpdateRow(targets.Entities[i], caller, concurrency).After;
            operation[i + 1].PostRow = postRows[i];
        }

        operation[0].PostRows = postRows;
        return new UpdateMultipleResponse { ResponseName = Name };
    }
}
