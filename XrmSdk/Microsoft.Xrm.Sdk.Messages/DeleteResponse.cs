
namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class DeleteResponse : OrganizationResponse
{
    public DeleteResponse()
    {
    }
}
