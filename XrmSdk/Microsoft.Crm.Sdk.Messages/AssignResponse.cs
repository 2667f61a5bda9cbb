using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;
using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>Carries no results.</summary>
[DataContract(Namespace = XrmContracts.CrmNamespace2011)]
public sealed class AssignResponse : OrganizationResponse
{
    public AssignResponse()
    {
    }
}
