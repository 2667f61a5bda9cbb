using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>Each property reads Results["&lt;key&gt;"]; an absent key reads as the default value.</summary>
[DataContract(Namespace = XrmContracts.CrmNamespace2011)]
public sealed class WhoAmIResponse : OrganizationResponse
{
    public WhoAmIResponse()
    {
    }

    public Guid UserId => ParameterBag.Get<Guid>(Results, "UserId");

    public Guid BusinessUnitId => ParameterBag.Get<Guid>(Results, "BusinessUnitId");

    public Guid OrganizationId => ParameterBag.Get<Guid>(Results, "OrganizationId");
}
