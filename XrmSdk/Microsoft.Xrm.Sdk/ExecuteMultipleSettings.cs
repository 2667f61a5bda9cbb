using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

public sealed class ExecuteMultipleSettings
{
    public ExecuteMultipleSettings()
    {
    }

    public bool ContinueOnError { get; set; }

    public bool ReturnResponses { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
