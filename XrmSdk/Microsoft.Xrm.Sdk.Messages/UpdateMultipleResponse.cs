
namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>Carries no results.</summary>
public sealed class UpdateMultipleResponse : OrganizationResponse
{
    public UpdateMultipleResponse()
    {
    }
}
