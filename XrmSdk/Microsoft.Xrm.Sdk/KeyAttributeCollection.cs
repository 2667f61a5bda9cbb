namespace Microsoft.Xrm.Sdk;

[Serializable]
public sealed class KeyAttributeCollection : DataCollection<string, object>
{
    public KeyAttributeCollection()
    {
    }
}
