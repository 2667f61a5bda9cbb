using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

public sealed class ExecuteMultipleResponseItem
{
    public ExecuteMultipleResponseItem()
    {
    }

    public int RequestIndex { get; set; }

    public OrganizationResponse Response { get; set; }

    public OrganizationServiceFault Fault { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
