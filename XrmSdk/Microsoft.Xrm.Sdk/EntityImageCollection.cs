using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "EntityImageCollection", Namespace = XrmContracts.Namespace2011)]
public class EntityImageCollection : DataCollection<string, Entity>
{
    public EntityImageCollection()
    {
    }
}
