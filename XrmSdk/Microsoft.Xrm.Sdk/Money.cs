using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A currency amount. Two instances are equal when their Value is equal.</summary>
public sealed class Money
{
    public Money()
    {
    }

    public Money(decimal value)
    {
        Value = value;
    }

    public decimal Value { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj) => obj is Money other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();
}
