using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// A pointer to a row. As in the official type (probed side by side, see XrmSdk/README.md), equality compares
/// Id, LogicalName (ordinal) and the key attributes (same names, ordinal, and values equal by object.Equals;
/// no keys and an empty key collection are alike); Name and RowVersion do not take part.
/// </summary>
[Serializable]
[DataContract(Name = "EntityReference", Namespace = XrmContracts.Namespace2011)]
public sealed class EntityReference : IExtensibleDataObject
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

    [DataMember]
    public Guid Id { get; set; }

    [DataMember]
    public string LogicalName { get; set; }

    [DataMember]
    public string Name { get; set; }

    [DataMember]
    public KeyAttributeCollection KeyAttributes
    {
        get => _keyAttributes ??= new KeyAttributeCollection();
        set => _keyAttributes = value;
    }

    [DataMember]
    public string RowVersion { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }

    public override bool Equals(object obj)
    {
        return obj is EntityReference other
            && Id == other.Id
            && string.Equals(LogicalName, other.LogicalName, StringComparison.Ordinal)
            && SameKeys(_keyAttributes, other._keyAttributes);
    }

    public override int GetHashCode()
    {
        int hash = Id.GetHashCode() ^ (LogicalName == null ? 0 : StringComparer.Ordinal.GetHashCode(LogicalName));
        if (_keyAttributes != null)
        {
            foreach (KeyValuePair<string, object> key in _keyAttributes)
            {
                // XOR keeps the hash independent of the order the keys were added in.
                hash ^= StringComparer.Ordinal.GetHashCode(key.Key) ^ (key.Value == null ? 0 : key.Value.GetHashCode());
            }
        }

        return hash;
    }

    private static bool SameKeys(KeyAttributeCollection left, KeyAttributeCollection right)
    {
        int leftCount = left == null ? 0 : left.Count;
        int rightCount = right == null ? 0 : right.Count;
        if (leftCount != rightCount)
        {
            return false;
        }

        if (leftCount == 0)
        {
            return true;
        }

        foreach (KeyValuePair<string, object> key in left)
        {
            if (!right.TryGetValue(key.Key, out object value) || !Equals(key.Value, value))
            {
                return false;
            }
        }

        return true;
    }
}
