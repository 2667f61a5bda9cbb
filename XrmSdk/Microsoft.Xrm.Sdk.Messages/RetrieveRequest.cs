using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>The "Retrieve" message; each property reads and writes Parameters["&lt;property name&gt;"].</summary>
public sealed class RetrieveRequest : OrganizationRequest
{
    public RetrieveRequest()
    {
        RequestName = "Retrieve";
    }

    public EntityReference Target
    {
        get => ParameterBag.Get<EntityReference>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }

    public ColumnSet ColumnSet
    {
        get => ParameterBag.Get<ColumnSet>(Parameters, "ColumnSet");
        set => Parameters["ColumnSet"] = value;
    }

    public bool ReturnNotifications
    {
        get => ParameterBag.Get<bool>(Parameters, "ReturnNotifications");
        set => Parameters["ReturnNotifications"] = value;
    }
}
