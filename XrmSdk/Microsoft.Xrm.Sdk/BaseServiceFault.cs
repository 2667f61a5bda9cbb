using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

[Serializable]
[DataContract(Name = "BaseServiceFault", Namespace = XrmContracts.Namespace2011)]
[KnownType(typeof(OrganizationServiceFault))]
public abstract class BaseServiceFault : IExtensibleDataObject
{
    private ErrorDetailCollection _errorDetails;

    internal BaseServiceFault()
    {
    }

    [DataMember]
    public string Message { get; set; }

    [DataMember]
    public int ErrorCode { get; set; }

    [DataMember]
    public string HelpLink { get; set; }

    [DataMember]
    public DateTime Timestamp { get; set; }

    [DataMember]
    public Guid ActivityId { get; set; }

    [DataMember]
    public ErrorDetailCollection ErrorDetails
    {
        get => _errorDetails ??= new ErrorDetailCollection();
        set => _errorDetails = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
