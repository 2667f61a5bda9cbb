using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A value read through a link-entity, stored in the parent row's attributes under "alias.attribute".</summary>
[DataContract(Name = "AliasedValue", Namespace = XrmContracts.Namespace2011)]
[KnownType(typeof(EntityReference))]
[KnownType(typeof(Money))]
[KnownType(typeof(OptionSetValue))]
[KnownType(typeof(OptionSetValueCollection))]
[KnownType(typeof(EntityCollection))]
[KnownType(typeof(Entity))]
public sealed class AliasedValue : IExtensibleDataObject
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

    [DataMember]
    public string AttributeLogicalName { get; private set; }

    [DataMember]
    public string EntityLogicalName { get; private set; }

    [DataMember]
    public object Value { get; private set; }

    public ExtensionDataObject ExtensionData { get; set; }

    /// <summary>Written as the official contract writes it (false); the stand-in does not use it.</summary>
    [DataMember]
    private bool NeedFormatting { get; set; }

    /// <summary>Written as the official contract writes it (0); the stand-in does not use it.</summary>
    [DataMember]
    private int ReturnType { get; set; }
}
