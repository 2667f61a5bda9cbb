using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>A relationship by schema name, with an optional role for self-referential relationships.</summary>
[DataContract(Name = "Relationship", Namespace = XrmContracts.Namespace2011)]
public sealed class Relationship : IExtensibleDataObject
{
    public Relationship()
    {
    }

    public Relationship(string schemaName)
    {
        SchemaName = schemaName;
    }

    [DataMember]
    public string SchemaName { get; set; }

    [DataMember]
    public EntityRole? PrimaryEntityRole { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj)
    {
        return obj is Relationship other
            && string.Equals(SchemaName, other.SchemaName, StringComparison.Ordinal)
            && PrimaryEntityRole == other.PrimaryEntityRole;
    }

    public override int GetHashCode()
    {
        return (SchemaName == null ? 0 : StringComparer.Ordinal.GetHashCode(SchemaName)) ^ PrimaryEntityRole.GetHashCode();
    }

    /// <summary>SchemaName, a dot, then PrimaryEntityRole (nothing after the dot when no role), as in the official type.</summary>
    public override string ToString() => SchemaName + "." + PrimaryEntityRole;
}
