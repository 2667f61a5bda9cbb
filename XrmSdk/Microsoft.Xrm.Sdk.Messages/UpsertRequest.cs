using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>The "Upsert" message; each property reads and writes Parameters["&lt;property name&gt;"].</summary>
public sealed class UpsertRequest : OrganizationRequest
{
    public UpsertRequest()
    {
        RequestName = "Upsert";
    }

    public Entity Target
    {
        get => ParameterBag.Get<Entity>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }
}
