
namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class AssociateResponse : OrganizationResponse
{
    public AssociateResponse()
    {
    }
}
