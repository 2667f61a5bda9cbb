namespace Microsoft.Xrm.Sdk.Query;

/// <summary>
/// An equality query: Attributes[i] must equal Values[i]. As in the official type, the parameterless
/// constructor creates an empty ColumnSet and PageInfo, while QueryByAttribute(entityName) leaves both null.
/// </summary>
public sealed class QueryByAttribute : QueryBase
{
    private DataCollection<string> _attributes;
    private DataCollection<object> _values;
    private DataCollection<OrderExpression> _orders;

    public QueryByAttribute()
    {
        ColumnSet = new ColumnSet();
        PageInfo = new PagingInfo();
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
