using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// The responses of an ExecuteTransaction request, in request order. Declared because the listed member
/// ExecuteTransactionResponse.Responses returns it; shape from sdk-and-pipeline-notes.md §3.2.
/// </summary>
[CollectionDataContract(Name = "OrganizationResponseCollection", Namespace = XrmContracts.Namespace71)]
public sealed class OrganizationResponseCollection : DataCollection<OrganizationResponse>
{
    public OrganizationResponseCollection()
    {
    }
}
