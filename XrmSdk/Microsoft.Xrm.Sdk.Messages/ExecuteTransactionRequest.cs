using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "ExecuteTransaction" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Requests with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class ExecuteTransactionRequest : OrganizationRequest
{
    public ExecuteTransactionRequest()
    {
        RequestName = "ExecuteTransaction";
        Parameters["Requests"] = null;
    }

    public OrganizationRequestCollection Requests
    {
        get => ParameterBag.Get<OrganizationRequestCollection>(Parameters, "Requests");
        set => Parameters["Requests"] = value;
    }

    public bool? ReturnResponses
    {
        get => ParameterBag.Get<bool?>(Parameters, "ReturnResponses");
        set => Parameters["ReturnResponses"] = value;
    }
}
