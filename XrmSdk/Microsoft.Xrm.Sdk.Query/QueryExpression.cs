namespace Microsoft.Xrm.Sdk.Query;

/// <summary>A structured query. A new instance has an empty Criteria (And), an empty PageInfo and an empty ColumnSet.</summary>
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

    public bool Distinct { get; set; }

    public bool NoLock { get; set; }

    public QueryExpression SubQueryExpression { get; set; }

    public PagingInfo PageInfo { get; set; }

    public string QueryHints { get; set; }

    public string ForceSeek { get; set; }

    public string DataSource { get; set; }

    public DataCollection<LinkEntity> LinkEntities => _linkEntities ??= new DataCollection<LinkEntity>();

    public FilterExpression Criteria { get; set; }

    public DataCollection<OrderExpression> Orders => _orders ??= new DataCollection<OrderExpression>();

    public string EntityName { get; set; }

    public ColumnSet ColumnSet { get; set; }

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
