using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>The "UpsertMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"].</summary>
public sealed class UpsertMultipleRequest : OrganizationRequest
{
    public UpsertMultipleRequest()
    {
        RequestName = "UpsertMultiple";
    }

    public EntityCollection Targets
    {
        get => ParameterBag.Get<EntityCollection>(Parameters, "Targets");
        set => Parameters["Targets"] = value;
    }
}
