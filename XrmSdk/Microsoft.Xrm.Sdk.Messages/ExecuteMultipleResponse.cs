using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Each property reads Results["&lt;key&gt;"]; an absent key reads as the default value.</summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class ExecuteMultipleResponse : OrganizationResponse
{
    public ExecuteMultipleResponse()
    {
    }

    public bool IsFaulted => ParameterBag.Get<bool>(Results, "IsFaulted");

    public ExecuteMultipleResponseItemCollection Responses => ParameterBag.Get<ExecuteMultipleResponseItemCollection>(Results, "Responses");
}
