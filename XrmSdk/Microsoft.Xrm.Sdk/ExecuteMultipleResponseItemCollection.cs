using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "OrganizationResponseCollection", Namespace = XrmContracts.Namespace2012)]
public sealed class ExecuteMultipleResponseItemCollection : DataCollection<ExecuteMultipleResponseItem>
{
    public ExecuteMultipleResponseItemCollection()
    {
    }
}
