using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace PartnerGuard.Emulator.Messages;

/// <summary>ExecuteMultiple: runs each request in its own transaction (execute-multiple-requests.md).</summary>
internal sealed class ExecuteMultipleHandler : MessageHandler
{
    public override string Name => "ExecuteMultiple";

    public override OrganizationResponse Run(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var requests = RequestParameters.Required<OrganizationRequestCollection>(request, "Requests");
        var settings = RequestParameters.Required<ExecuteMultipleSettings>(request, "Settings");
        BatchRules.Check(requests, caller, Name);

        var responses = new ExecuteMultipleResponseItemCollection();
        var faulted = false;
        var itemCaller = caller with { InsideBatch = true };
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                var item = BatchRules.Item(requests, i, Name);
                var response = org.Dispatch(RequestCloner.Clone(item), itemCaller);
                if (settings.ReturnResponses)
                {
                    responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Response = response });
                }
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                faulted = true;
                responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Fault = fault.Detail });
                if (!settings.ContinueOnError)
                {
                    break;
                }
            }
        }

        var result = new ExecuteMultipleResponse { ResponseName = Name };
        result.Results["Responses"] = responses;
        result.Results["IsFaulted"] = faulted;
        return result;
    }
}
