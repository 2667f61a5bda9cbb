using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

[DataContract(Name = "OrderExpression", Namespace = XrmContracts.Namespace2011)]
public sealed class OrderExpression : IExtensibleDataObject
{
    public OrderExpression()
    {
    }

    public OrderExpression(string attributeName, OrderType orderType)
    {
        AttributeName = attributeName;
        OrderType = orderType;
    }

    public OrderExpression(string attributeName, OrderType orderType, string alias)
        : this(attributeName, orderType)
    {
        Alias = alias;
    }

    public OrderExpression(string attributeName, OrderType orderType, string alias, string entityName)
        : this(attributeName, orderType, alias)
    {
        EntityName = entityName;
    }

    [DataMember]
    public string AttributeName { get; set; }

    [DataMember]
    public OrderType OrderType { get; set; }

    [DataMember]
    public string Alias { get; set; }

    [DataMember]
    public string EntityName { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
