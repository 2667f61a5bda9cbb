using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[DataContract(Name = "EntityCollection", Namespace = XrmContracts.Namespace2011)]
public sealed class EntityCollection : IExtensibleDataObject
{
    private DataCollection<Entity> _entities;

    public EntityCollection()
    {
    }

    /// <summary>Copies the given list (null gives an empty collection), as the official type does.</summary>
    public EntityCollection(IList<Entity> list)
    {
        _entities = new DataCollection<Entity>(list);
    }

    [DataMember]
    public DataCollection<Entity> Entities
    {
        get => _entities ??= new DataCollection<Entity>();
        set => _entities = value;
    }

    [DataMember]
    public bool MoreRecords { get; set; }

    [DataMember]
    public string PagingCookie { get; set; }

    [DataMember]
    public string MinActiveRowVersion { get; set; }

    [DataMember]
    public int TotalRecordCount { get; set; }

    [DataMember]
    public bool TotalRecordCountLimitExceeded { get; set; }

    public Entity this[int index]
    {
        get => Entities[index];
        set => Entities[index] = value;
    }

    [DataMember]
    public string EntityName { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
