using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class SetStateResponse : OrganizationResponse
{
    public SetStateResponse()
    {
    }
}
