using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>The "RetrieveMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"].</summary>
public sealed class RetrieveMultipleRequest : OrganizationRequest
{
    public RetrieveMultipleRequest()
    {
        RequestName = "RetrieveMultiple";
    }

    public QueryBase Query
    {
        get => ParameterBag.Get<QueryBase>(Parameters, "Query");
        set => Parameters["Query"] = value;
    }
}
