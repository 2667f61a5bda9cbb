using System.Collections;
using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>
/// One condition: attribute, operator, values. EntityName names a link-entity alias for a condition placed
/// on the outer filter. The single-value overloads add that one value (also when it is null); the array
/// overloads add each element; the ICollection overload enumerates the collection into Values.
/// </summary>
[DataContract(Name = "ConditionExpression", Namespace = XrmContracts.Namespace2011)]
public sealed class ConditionExpression : IExtensibleDataObject
{
    private DataCollection<object> _values;

    public ConditionExpression()
    {
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, params object[] values)
        : this(null, attributeName, conditionOperator, false, values)
    {
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
        : this(entityName, attributeName, conditionOperator, false, values)
    {
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        : this(entityName, attributeName, conditionOperator)
    {
        CompareColumns = compareColumns;
        if (values != null)
        {
            Values.AddRange(values);
        }
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
        : this(entityName, attributeName, conditionOperator)
    {
        CompareColumns = compareColumns;
        Values.Add(value);
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
        : this(null, attributeName, conditionOperator, compareColumns, value)
    {
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
        : this(null, attributeName, conditionOperator, compareColumns, values)
    {
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, object value)
        : this(null, attributeName, conditionOperator, false, value)
    {
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, object value)
        : this(entityName, attributeName, conditionOperator, false, value)
    {
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator)
        : this(null, attributeName, conditionOperator)
    {
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator)
    {
        EntityName = entityName;
        AttributeName = attributeName;
        Operator = conditionOperator;
    }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, ICollection values)
        : this(null, attributeName, conditionOperator)
    {
        if (values != null)
        {
            foreach (object value in values)
            {
                Values.Add(value);
            }
        }
    }

    [DataMember(Order = 60)]
    public string EntityName { get; set; }

    [DataMember]
    public bool CompareColumns { get; set; }

    [DataMember]
    public string AttributeName { get; set; }

    [DataMember]
    public ConditionOperator Operator { get; set; }

    public DataCollection<object> Values => _values ??= new DataCollection<object>();

    /// <summary>Values under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Values")]
    private DataCollection<object> SerializedValues
    {
        get => Values;
        set => _values = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
