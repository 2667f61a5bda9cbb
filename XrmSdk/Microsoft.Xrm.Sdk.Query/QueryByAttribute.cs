namespace Microsoft.Xrm.Sdk.Query;

/// <summary>
/// An equality query: Attributes[i] must equal Values[i]. A new instance has no ColumnSet and no PageInfo
/// (null): set them before use.
/// </summary>
public sealed class QueryByAttribute : QueryBase
{
    private DataCollection<string> _attributes;
    private DataCollection<object> _values;
    private DataCollection<OrderExpression> _orders;

    public QueryByAttribute()
    {
    }

    public QueryByAttribute(string entityName)
    {
        EntityName = entityName;
    }

    public string EntityName { get; set; }

    public DataCollection<string> Attributes => _attributes ??= new DataCollection<string>();

    public DataCollection<object> Values => _values ??= new DataCollection<object>();

    public PagingInfo PageInfo { get; set; }

    public ColumnSet ColumnSet { get; set; }

    public DataCollection<OrderExpression> Orders => _orders ??= new DataCollection<OrderExpression>();

    public int? TopCount { get; set; }

    public void AddOrder(string attributeName, OrderType orderType)
    {
        Orders.Add(new OrderExpression(attributeName, orderType));
    }

    public void AddAttributeValue(string attributeName, object value)
    {
        Attributes.Add(attributeName);
        Values.Add(value);
    }
}
