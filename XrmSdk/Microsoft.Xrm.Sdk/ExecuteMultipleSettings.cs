using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[DataContract(Name = "ExecuteMultipleSettings", Namespace = XrmContracts.Namespace2012)]
public sealed class ExecuteMultipleSettings : IExtensibleDataObject
{
    public ExecuteMultipleSettings()
    {
    }

    [DataMember]
    public bool ContinueOnError { get; set; }

    [DataMember]
    public bool ReturnResponses { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
