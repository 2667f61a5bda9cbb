using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Query;

[DataContract(Name = "PagingInfo", Namespace = XrmContracts.Namespace2011)]
public sealed class PagingInfo : IExtensibleDataObject
{
    public PagingInfo()
    {
    }

    [DataMember]
    public int PageNumber { get; set; }

    [DataMember]
    public int Count { get; set; }

    [DataMember]
    public bool ReturnTotalRecordCount { get; set; }

    [DataMember]
    public string PagingCookie { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
