using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>Conditions and child filters joined by FilterOperator (And unless set).</summary>
[DataContract(Name = "FilterExpression", Namespace = XrmContracts.Namespace2011)]
public sealed class FilterExpression : IExtensibleDataObject
{
    private DataCollection<ConditionExpression> _conditions;
    private DataCollection<FilterExpression> _filters;

    public FilterExpression()
    {
    }

    public FilterExpression(LogicalOperator filterOperator)
    {
        FilterOperator = filterOperator;
    }

    [DataMember]
    public LogicalOperator FilterOperator { get; set; }

    [DataMember(Order = 82, EmitDefaultValue = false)]
    public string FilterHint { get; set; }

    [DataMember]
    public LinkEntity AnyAllFilterLinkEntity { get; set; }

    public DataCollection<ConditionExpression> Conditions => _conditions ??= new DataCollection<ConditionExpression>();

    /// <summary>Conditions under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Conditions")]
    private DataCollection<ConditionExpression> SerializedConditions
    {
        get => Conditions;
        set => _conditions = value;
    }

    public DataCollection<FilterExpression> Filters => _filters ??= new DataCollection<FilterExpression>();

    /// <summary>Filters under its data-contract name; the public property has no setter, as in the official type.</summary>
    [DataMember(Name = "Filters")]
    private DataCollection<FilterExpression> SerializedFilters
    {
        get => Filters;
        set => _filters = value;
    }

    [DataMember(Order = 51, EmitDefaultValue = false)]
    public bool IsQuickFindFilter { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object[] values)
    {
        Conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));
    }

    public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
    {
        Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, values));
    }

    public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
    {
        Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, values));
    }

    public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
    {
        Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, values));
    }

    public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
    {
        Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, value));
    }

    public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
    {
        Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, value));
    }

    public void AddCondition(ConditionExpression condition)
    {
        Conditions.Add(condition);
    }

    /// <summary>Adds a new, empty child filter and returns it.</summary>
    public FilterExpression AddFilter(LogicalOperator logicalOperator)
    {
        var child = new FilterExpression(logicalOperator);
        Filters.Add(child);
        return child;
    }

    public void AddFilter(FilterExpression childFilter)
    {
        if (childFilter != null)
        {
            Filters.Add(childFilter);
        }
    }
}
