using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "Update" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Target with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class UpdateRequest : OrganizationRequest
{
    public UpdateRequest()
    {
        RequestName = "Update";
        Parameters["Target"] = null;
    }

    public Entity Target
    {
        get => ParameterBag.Get<Entity>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }

    public ConcurrencyBehavior ConcurrencyBehavior
    {
        get => ParameterBag.Get<ConcurrencyBehavior>(Parameters, "ConcurrencyBehavior");
        set => Parameters["ConcurrencyBehavior"] = value;
    }
}
