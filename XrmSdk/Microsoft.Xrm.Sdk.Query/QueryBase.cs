using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

[DataContract(Name = "QueryBase", Namespace = XrmContracts.Namespace2011)]
[KnownType(typeof(QueryExpression))]
[KnownType(typeof(QueryByAttribute))]
[KnownType(typeof(FetchExpression))]
public abstract class QueryBase : IExtensibleDataObject
{
    internal QueryBase()
    {
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
