using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;
using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>The "WhoAmI" message; it takes no parameters.</summary>
[DataContract(Namespace = XrmContracts.CrmNamespace2011)]
public sealed class WhoAmIRequest : OrganizationRequest
{
    public WhoAmIRequest()
    {
        RequestName = "WhoAmI";
    }
}
