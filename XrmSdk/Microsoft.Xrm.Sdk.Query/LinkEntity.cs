using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>A join from LinkFromEntityName.LinkFromAttributeName to LinkToEntityName.LinkToAttributeName.</summary>
[DataContract(Name = "LinkEntity", Namespace = XrmContracts.Namespace2011)]
public sealed class LinkEntity : IExtensibleDataObject
{
    private DataCollection<LinkEntity> _linkEntities;
    private DataCollection<OrderExpression> _orders;

    public LinkEntity()
    {
        Columns = new ColumnSet();
        LinkCriteria = new FilterExpression();
    }

    public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        : this()
    {
        LinkFromEntityName = linkFromEntityName;
        LinkToEntityName = linkToEntityName;
        LinkFromAttributeName = linkFromAttributeName;
        LinkToAttributeName = linkToAttributeName;
        JoinOperator = joinOperator;
    }

    [DataMember]
    public string LinkFromAttributeName { get; set; }

    [DataMember]
    public string LinkFromEntityName { get; set; }

    [DataMember]
    public string LinkToEntityName { get; set; }

    [DataMember]
    public string LinkToAttributeName { get; set; }

    [DataMember]
    public JoinOperator JoinOperator { get; set; }

    [DataMember]
    public FilterExpression LinkCriteria { get; set; }

    public DataCollection<LinkEntity> LinkEntities => _linkEntities ??= new DataCollection<LinkEntity>();

    /// <summary>LinkEntities under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "LinkEntities")]
    private DataCollection<LinkEntity> SerializedLinkEntities
    {
        get => LinkEntities;
        set => _linkEntities = value;
    }

    [DataMember]
    public ColumnSet Columns { get; set; }

    [DataMember]
    public string EntityAlias { get; set; }

    [DataMember(EmitDefaultValue = false)]
    public string ForceSeek { get; set; }

    public DataCollection<OrderExpression> Orders => _orders ??= new DataCollection<OrderExpression>();

    /// <summary>Orders under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Orders", Order = 80)]
    private DataCollection<OrderExpression> SerializedOrders
    {
        get => Orders;
        set => _orders = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }

    /// <summary>
    /// Adds an inner join and returns it. As in the official type, the child's LinkFromEntityName is this
    /// link's LinkFromEntityName (the entity this link joins from, not the one it joins to), read when the
    /// child is added; the child's LinkFromAttributeName names a column of this link's LinkToEntityName.
    /// </summary>
    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName)
    {
        return AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);
    }

    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
    {
        var link = new LinkEntity(LinkFromEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
        LinkEntities.Add(link);
        return link;
    }
}
