namespace Microsoft.Xrm.Sdk;

public class EntityImageCollection : DataCollection<string, Entity>
{
    public EntityImageCollection()
    {
    }
}
