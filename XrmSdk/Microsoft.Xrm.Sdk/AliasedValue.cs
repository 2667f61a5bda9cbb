using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A value read through a link-entity, stored in the parent row's attributes under "alias.attribute".</summary>
public sealed class AliasedValue
{
    public AliasedValue()
    {
    }

    public AliasedValue(string entityLogicalName, string attributeLogicalName, object value)
    {
        EntityLogicalName = entityLogicalName;
        AttributeLogicalName = attributeLogicalName;
        Value = value;
    }

    public string AttributeLogicalName { get; private set; }

    public string EntityLogicalName { get; private set; }

    public object Value { get; private set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
