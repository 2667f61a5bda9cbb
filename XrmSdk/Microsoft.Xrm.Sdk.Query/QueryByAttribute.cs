using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>
/// An equality query: Attributes[i] must equal Values[i]. As in the official type, the parameterless
/// constructor creates an empty ColumnSet and PageInfo, while QueryByAttribute(entityName) leaves both null.
/// </summary>
[DataContract(Name = "QueryByAttribute", Namespace = XrmContracts.Namespace2011)]
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

    [DataMember]
    public string EntityName { get; set; }

    public DataCollection<string> Attributes => _attributes ??= new DataCollection<string>();

    /// <summary>Attributes under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Attributes")]
    private DataCollection<string> SerializedAttributes
    {
        get => Attributes;
        set => _attributes = value;
    }

    public DataCollection<object> Values => _values ??= new DataCollection<object>();

    /// <summary>Values under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Values")]
    private DataCollection<object> SerializedValues
    {
        get => Values;
        set => _values = value;
    }

    [DataMember]
    public PagingInfo PageInfo { get; set; }

    [DataMember]
    public ColumnSet ColumnSet { get; set; }

    public DataCollection<OrderExpression> Orders => _orders ??= new DataCollection<OrderExpression>();

    /// <summary>Orders under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Orders")]
    private DataCollection<OrderExpression> SerializedOrders
    {
        get => Orders;
        set => _orders = value;
    }

    [DataMember(Order = 50)]
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
