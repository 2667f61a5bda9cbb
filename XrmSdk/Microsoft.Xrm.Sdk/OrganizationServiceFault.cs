using System.Globalization;

namespace Microsoft.Xrm.Sdk;

/// <summary>The detail of a FaultException&lt;OrganizationServiceFault&gt; raised by the organization service.</summary>
public class OrganizationServiceFault : BaseServiceFault
{
    public OrganizationServiceFault()
    {
    }

    public string TraceText { get; set; }

    public OrganizationServiceFault InnerFault { get; set; }

    public override string ToString()
    {
        return string.Format(CultureInfo.InvariantCulture, "OrganizationServiceFault 0x{0:X8}: {1}", ErrorCode, Message);
    }
}
