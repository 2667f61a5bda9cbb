using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[CollectionDataContract(Name = "RelatedEntityCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
{
    public RelatedEntityCollection()
    {
    }

    /// <summary>The official type overrides this; the stand-in never makes related entities read-only.</summary>
    public override bool IsReadOnly => false;
}
