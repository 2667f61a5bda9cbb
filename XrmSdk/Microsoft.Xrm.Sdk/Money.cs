using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A currency amount. Two instances are equal when their Value is equal.</summary>
[DataContract(Name = "Money", Namespace = XrmContracts.Namespace2011)]
public sealed class Money : IExtensibleDataObject
{
    public Money()
    {
    }

    public Money(decimal value)
    {
        Value = value;
    }

    [DataMember]
    public decimal Value { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj) => obj is Money other && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();
}
