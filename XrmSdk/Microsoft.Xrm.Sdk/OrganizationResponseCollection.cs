namespace Microsoft.Xrm.Sdk;

/// <summary>
/// The responses of an ExecuteTransaction request, in request order. Declared because the listed member
/// ExecuteTransactionResponse.Responses returns it; shape from sdk-and-pipeline-notes.md §3.2.
/// </summary>
public sealed class OrganizationResponseCollection : DataCollection<OrganizationResponse>
{
    public OrganizationResponseCollection()
    {
    }
}
