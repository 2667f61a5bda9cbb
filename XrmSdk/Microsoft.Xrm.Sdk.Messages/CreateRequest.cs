using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>The "Create" message; each property reads and writes Parameters["&lt;property name&gt;"].</summary>
public sealed class CreateRequest : OrganizationRequest
{
    public CreateRequest()
    {
        RequestName = "Create";
    }

    public Entity Target
    {
        get => ParameterBag.Get<Entity>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }
}
