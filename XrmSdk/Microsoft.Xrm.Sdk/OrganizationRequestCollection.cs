using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[KnownType(typeof(EntityImageCollection))]
[CollectionDataContract(Name = "OrganizationRequestCollection", Namespace = XrmContracts.Namespace2012)]
public sealed class OrganizationRequestCollection : DataCollection<OrganizationRequest>
{
    public OrganizationRequestCollection()
    {
    }
}
