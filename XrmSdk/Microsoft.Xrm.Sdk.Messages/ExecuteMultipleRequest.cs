using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "ExecuteMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Requests, Settings with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class ExecuteMultipleRequest : OrganizationRequest
{
    public ExecuteMultipleRequest()
    {
        RequestName = "ExecuteMultiple";
        Parameters["Requests"] = null;
        Parameters["Settings"] = null;
    }

    public OrganizationRequestCollection Requests
    {
        get => ParameterBag.Get<OrganizationRequestCollection>(Parameters, "Requests");
        set => Parameters["Requests"] = value;
    }

    public ExecuteMultipleSettings Settings
    {
        get => ParameterBag.Get<ExecuteMultipleSettings>(Parameters, "Settings");
        set => Parameters["Settings"] = value;
    }
}
