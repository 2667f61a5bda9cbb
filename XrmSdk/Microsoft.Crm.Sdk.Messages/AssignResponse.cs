using Microsoft.Xrm.Sdk;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class AssignResponse : OrganizationResponse
{
    public AssignResponse()
    {
    }
}
