using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>The "WhoAmI" message; it takes no parameters.</summary>
public sealed class WhoAmIRequest : OrganizationRequest
{
    public WhoAmIRequest()
    {
        RequestName = "WhoAmI";
    }
}
