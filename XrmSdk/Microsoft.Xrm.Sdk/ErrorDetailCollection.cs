namespace Microsoft.Xrm.Sdk;

[Serializable]
public sealed class ErrorDetailCollection : DataCollection<string, object>
{
    public ErrorDetailCollection()
    {
    }
}
