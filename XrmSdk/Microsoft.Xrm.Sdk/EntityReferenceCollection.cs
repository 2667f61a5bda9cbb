using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "EntityReferenceCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class EntityReferenceCollection : DataCollection<EntityReference>
{
    public EntityReferenceCollection()
    {
    }

    public EntityReferenceCollection(IList<EntityReference> list)
        : base(list)
    {
    }
}
