using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[KnownType(typeof(EntityReference))]
[KnownType(typeof(Money))]
[KnownType(typeof(OptionSetValue))]
[KnownType(typeof(OptionSetValueCollection))]
[KnownType(typeof(AliasedValue))]
[KnownType(typeof(EntityCollection))]
[KnownType(typeof(Entity))]
[CollectionDataContract(Name = "AttributeCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class AttributeCollection : DataCollection<string, object>
{
    public AttributeCollection()
    {
    }
}
