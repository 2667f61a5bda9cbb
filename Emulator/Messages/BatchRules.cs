using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Messages;

/// <summary>The rules ExecuteMultiple and ExecuteTransaction share: size limit and no nesting.</summary>
internal static class BatchRules
{
    /// <summary>Refuses a batch inside a batch and one over <see cref="DataverseOrg.MaxBatchSize"/> requests.</summary>
    public static void Check(OrganizationRequestCollection requests, CallerContext caller, string name)
    {
        if (caller.InsideBatch)
        {
            throw Nested(name);
        }

        if (requests.Count > DataverseOrg.MaxBatchSize)
        {
            throw OrgFaults.Create(OrgErrorCodes.ExceededMaxBatchSize,
                $"The number of requests in the {name} batch ({requests.Count}) exceeds the maximum batch size of {DataverseOrg.MaxBatchSize}.",
                new Dictionary<string, object> { ["MaxBatchSize"] = DataverseOrg.MaxBatchSize });
        }
    }

    /// <summary>The item at an index, refused when null or itself a batch.</summary>
    public static OrganizationRequest Item(OrganizationRequestCollection requests, int index, string name)
    {
        var item = requests[index] ?? throw OrgFaults.InvalidArgument($"Request {index} of the {name} batch is null.");
        if (item.RequestName is "ExecuteMultiple" or "ExecuteTransaction")
        {
            throw Nested(item.RequestName);
        }

        return item;
    }

    private static System.ServiceModel.FaultException<OrganizationServiceFault> Nested(string name)
        => OrgFaults.Create(OrgErrorCodes.NestedBatchNotAllowed,
            $"{name} cannot be run inside an ExecuteMultiple or ExecuteTransaction request: batch requests cannot be nested.");
}
