using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Carries no results.</summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class UpdateMultipleResponse : OrganizationResponse
{
    public UpdateMultipleResponse()
    {
    }
}
