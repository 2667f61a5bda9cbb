using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// A pointer to a row. Equality compares LogicalName and Id only; Name, RowVersion and KeyAttributes do not take part.
/// </summary>
public sealed class EntityReference
{
    private KeyAttributeCollection _keyAttributes;

    public EntityReference()
    {
    }

    public EntityReference(string logicalName)
    {
        LogicalName = logicalName;
    }

    public EntityReference(string logicalName, Guid id)
    {
        LogicalName = logicalName;
        Id = id;
    }

    public EntityReference(string logicalName, string keyName, object keyValue)
    {
        LogicalName = logicalName;
        KeyAttributes[keyName] = keyValue;
    }

    public EntityReference(string logicalName, KeyAttributeCollection keyAttributeCollection)
    {
        LogicalName = logicalName;
        _keyAttributes = keyAttributeCollection;
    }

    public Guid Id { get; set; }

    public string LogicalName { get; set; }

    public string Name { get; set; }

    public KeyAttributeCollection KeyAttributes
    {
        get => _keyAttributes ??= new KeyAttributeCollection();
        set => _keyAttributes = value;
    }

    public string RowVersion { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj)
    {
        return obj is EntityReference other
            && Id == other.Id
            && string.Equals(LogicalName, other.LogicalName, StringComparison.Ordinal);
    }

    public override int GetHashCode()
    {
        return Id.GetHashCode() ^ (LogicalName == null ? 0 : StringComparer.Ordinal.GetHashCode(LogicalName));
    }
}
