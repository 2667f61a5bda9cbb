using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A message name plus a parameter bag; typed requests are views over Parameters.</summary>
public class OrganizationRequest
{
    private ParameterCollection _parameters;

    public OrganizationRequest()
    {
    }

    public OrganizationRequest(string requestName)
    {
        RequestName = requestName;
    }

    public string RequestName { get; set; }

    public object this[string parameterName]
    {
        get => Parameters[parameterName];
        set => Parameters[parameterName] = value;
    }

    public ParameterCollection Parameters
    {
        get => _parameters ??= new ParameterCollection();
        set => _parameters = value;
    }

    public Guid? RequestId { get; set; }

    public ExtensionDataObject ExtensionData { get; set; }
}
