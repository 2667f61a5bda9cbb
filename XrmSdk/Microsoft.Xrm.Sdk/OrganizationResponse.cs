using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>A response name plus a result bag; typed responses are views over Results.</summary>
public class OrganizationResponse
{
    private ParameterCollection _results;

    public OrganizationResponse()
    {
    }

    public string ResponseName { get; set; }

    public object this[string parameterName]
    {
        get => Results[parameterName];
        set => Results[parameterName] = value;
    }

    public ParameterCollection Results
    {
        get => _results ??= new ParameterCollection();
        set => _results = value;
    }

    public ExtensionDataObject ExtensionData { get; set; }
}
