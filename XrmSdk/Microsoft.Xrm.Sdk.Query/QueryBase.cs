using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query;

public abstract class QueryBase
{
    internal QueryBase()
    {
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
