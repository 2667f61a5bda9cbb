using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A choice value. Two instances are equal when their Value is equal.</summary>
[DataContract(Name = "OptionSetValue", Namespace = XrmContracts.Namespace2011)]
public sealed class OptionSetValue : IExtensibleDataObject
{
    public OptionSetValue()
    {
    }

    public OptionSetValue(int value)
    {
        Value = value;
    }

    [DataMember]
    public int Value { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj) => obj is OptionSetValue other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();
}
