using System.Globalization;
using System.Runtime.Serialization;
using System.Text;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk;

/// <summary>The detail of a FaultException&lt;OrganizationServiceFault&gt; raised by the organization service.</summary>
[Serializable]
[DataContract(Name = "OrganizationServiceFault", Namespace = XrmContracts.Namespace2011)]
public class OrganizationServiceFault : BaseServiceFault
{
    public OrganizationServiceFault()
    {
    }

    [DataMember]
    public string TraceText { get; set; }

    [DataMember]
    public OrganizationServiceFault InnerFault { get; set; }

    /// <summary>Written and read as the official contract does; the stand-in does not use it.</summary>
    [DataMember]
    private string OriginalException { get; set; }

    /// <summary>Written and read as the official contract does; the stand-in does not use it.</summary>
    [DataMember]
    private string ExceptionSource { get; set; }

    /// <summary>Written and read as the official contract does; the stand-in does not use it.</summary>
    [DataMember]
    private bool ExceptionRetriable { get; set; }

    /// <summary>
    /// The official text: "Exception details: ", then ErrorCode in hexadecimal without padding, Message and
    /// Timestamp (round-trip form ending in Z) on lines of their own, a "--" line, then InnerFault's text.
    /// TraceText and ErrorDetails are not part of it.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (OrganizationServiceFault fault = this; fault != null; fault = fault.InnerFault)
        {
            text.AppendLine("Exception details: ");
            text.Append("ErrorCode: 0x").Append(fault.ErrorCode.ToString("X", CultureInfo.InvariantCulture)).AppendLine();
            text.Append("Message: ").Append(fault.Message).AppendLine();
            text.Append("TimeStamp: ").Append(fault.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).AppendLine();
            text.AppendLine("--");
        }

        return text.ToString();
    }
}
