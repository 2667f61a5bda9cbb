using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>A structured query. A new instance has an empty Criteria (And), an empty PageInfo and an empty ColumnSet.</summary>
[DataContract(Name = "QueryExpression", Namespace = XrmContracts.Namespace2011)]
public sealed class QueryExpression : QueryBase
{
    public static readonly QueryExpression Empty = new QueryExpression();

    private DataCollection<LinkEntity> _linkEntities;
    private DataCollection<OrderExpression> _orders;

    public QueryExpression()
    {
        Criteria = new FilterExpression();
        PageInfo = new PagingInfo();
        ColumnSet = new ColumnSet();
    }

    public QueryExpression(string entityName)
        : this()
    {
        EntityName = entityName;
    }

    [DataMember]
    public bool Distinct { get; set; }

    [DataMember(Order = 50)]
    public bool NoLock { get; set; }

    [DataMember(EmitDefaultValue = false)]
    public QueryExpression SubQueryExpression { get; set; }

    [DataMember]
    public PagingInfo PageInfo { get; set; }

    [DataMember(Order = 92, EmitDefaultValue = false)]
    public string QueryHints { get; set; }

    [DataMember(EmitDefaultValue = false)]
    public string ForceSeek { get; set; }

    [DataMember(Order = 93, EmitDefaultValue = false)]
    public string DataSource { get; set; }

    public DataCollection<LinkEntity> LinkEntities => _linkEntities ??= new DataCollection<LinkEntity>();

    /// <summary>LinkEntities under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "LinkEntities")]
    private DataCollection<LinkEntity> SerializedLinkEntities
    {
        get => LinkEntities;
        set => _linkEntities = value;
    }

    [DataMember]
    public FilterExpression Criteria { get; set; }

    public DataCollection<OrderExpression> Orders => _orders ??= new DataCollection<OrderExpression>();

    /// <summary>Orders under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Orders")]
    private DataCollection<OrderExpression> SerializedOrders
    {
        get => Orders;
        set => _orders = value;
    }

    [DataMember]
    public string EntityName { get; set; }

    [DataMember]
    public ColumnSet ColumnSet { get; set; }

    [DataMember(Order = 50, EmitDefaultValue = false)]
    public int? TopCount { get; set; }

    public void AddOrder(string attributeName, OrderType orderType)
    {
        Orders.Add(new OrderExpression(attributeName, orderType));
    }

    public void AddOrder(string attributeName, OrderType orderType, string alias, string entityName)
    {
        Orders.Add(new OrderExpression(attributeName, orderType, alias, entityName));
    }

    /// <summary>Adds an inner join from EntityName and returns it.</summary>
    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName)
    {
        return AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);
    }

    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
    {
        var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
        LinkEntities.Add(link);
        return link;
    }
}
