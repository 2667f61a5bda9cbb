using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[DataContract(Name = "ExecuteMultipleResponseItem", Namespace = XrmContracts.Namespace2012)]
public sealed class ExecuteMultipleResponseItem : IExtensibleDataObject
{
    public ExecuteMultipleResponseItem()
    {
    }

    [DataMember]
    public int RequestIndex { get; set; }

    [DataMember]
    public OrganizationResponse Response { get; set; }

    [DataMember]
    public OrganizationServiceFault Fault { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
