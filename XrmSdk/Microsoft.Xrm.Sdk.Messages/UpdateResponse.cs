
namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class UpdateResponse : OrganizationResponse
{
    public UpdateResponse()
    {
    }
}
