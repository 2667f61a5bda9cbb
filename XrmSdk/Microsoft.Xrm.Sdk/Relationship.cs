using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A relationship by schema name, with an optional role for self-referential relationships.</summary>
public sealed class Relationship
{
    public Relationship()
    {
    }

    public Relationship(string schemaName)
    {
        SchemaName = schemaName;
    }

    public string SchemaName { get; set; }

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
