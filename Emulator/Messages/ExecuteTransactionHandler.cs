using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace PartnerGuard.Emulator.Messages;

/// <summary>ExecuteTransaction: runs all requests in one transaction; the first fault rolls all back.</summary>
internal sealed class ExecuteTransactionHandler : MessageHandler
{
    public override string Name => "ExecuteTransaction";

    public override OrganizationResponse Run(DataverseOrg org, OrganizationRequest request, CallerContext caller)
    {
        var requests = RequestParameters.Required<OrganizationRequestCollection>(request, "Requests");
        BatchRules.Check(requests, caller, Name);
        var returnResponses = request.Parameters.TryGetValue("ReturnResponses", out var flag) && flag is true;
        var responses = new List<OrganizationResponse>();
        var itemCaller = caller with { InsideBatch = true };
        var index = 0;
        var transaction = org.BeginLevel();
        try
        {
            for (; index < requests.Count; index++)
            {
                var item = BatchRules.Item(requests, index, Name);
                var response = org.Dispatch(RequestCloner.Clone(item), itemCaller);
                if (returnResponses)
                {
                    responses.Add(response);
                }
            }

            org.CommitLevel();
        }
        catch (FaultException<OrganizationServiceFault> fault)
        {
            org.RollbackLevel(transaction);
            // ExecuteTransactionFault.FaultedRequestIndex (zero-based) is carried in ErrorDetails["FaultedRequestIndex"].
            var detail = new OrganizationServiceFault
            {
                ErrorCode = fault.Detail.ErrorCode,
                Message = fault.Detail.Message,
                Timestamp = fault.Detail.Timestamp,
                InnerFault = fault.Detail,
            };
            detail.ErrorDetails["FaultedRequestIndex"] = index;
            throw OrgFaults.From(detail);
        }
        catch
        {
            org.RollbackLevel(transaction);
            throw;
        }

        var result = new ExecuteTransactionResponse { ResponseName = Name };
        if (returnResponses && ResponseCollection(responses) is { } collection)
        {
            result.Results["Responses"] = collection;
        }

        return result;
    }

    /// <summary>
    /// ExecuteTransactionResponse.Responses is an OrganizationResponseCollection in the official SDK; the offline
    /// stand-in leaves that type out, so the collection is built only when the SDK in use declares it.
    /// </summary>
    private static object? ResponseCollection(List<OrganizationResponse> responses)
    {
        var type = typeof(OrganizationResponse).Assembly.GetType("Microsoft.Xrm.Sdk.OrganizationResponseCollection");
        if (type is null || Activator.CreateInstance(type) is not System.Collections.IList list)
        {
            return null;
        }

        foreach (var response in responses)
        {
            list.Add(response);
        }

        return list;
    }
}
