using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Each property reads Results["&lt;key&gt;"]; an absent key reads as the default value.</summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class RetrieveMultipleResponse : OrganizationResponse
{
    public RetrieveMultipleResponse()
    {
    }

    public EntityCollection EntityCollection => ParameterBag.Get<EntityCollection>(Results, "EntityCollection");
}
