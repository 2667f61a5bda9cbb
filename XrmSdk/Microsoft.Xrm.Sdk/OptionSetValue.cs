using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A choice value. Two instances are equal when their Value is equal.</summary>
public sealed class OptionSetValue
{
    public OptionSetValue()
    {
    }

    public OptionSetValue(int value)
    {
        Value = value;
    }

    public int Value { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj) => obj is OptionSetValue other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();
}
