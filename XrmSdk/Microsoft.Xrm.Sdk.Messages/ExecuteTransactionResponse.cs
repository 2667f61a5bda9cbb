using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Responses reads Results["Responses"]; it is null unless the request asked for responses.</summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class ExecuteTransactionResponse : OrganizationResponse
{
    public ExecuteTransactionResponse()
    {
    }

    public OrganizationResponseCollection Responses => ParameterBag.Get<OrganizationResponseCollection>(Results, "Responses");
}
