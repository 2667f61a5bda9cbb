using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

/// <summary>A FetchXML query text.</summary>
[DataContract(Name = "FetchExpression", Namespace = XrmContracts.Namespace2011)]
public sealed class FetchExpression : QueryBase
{
    public FetchExpression()
    {
    }

    public FetchExpression(string query)
    {
        Query = query;
    }

    [DataMember]
    public string Query { get; set; }
}
