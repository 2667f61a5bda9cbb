using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "UpdateMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Targets with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class UpdateMultipleRequest : OrganizationRequest
{
    public UpdateMultipleRequest()
    {
        RequestName = "UpdateMultiple";
        Parameters["Targets"] = null;
    }

    public EntityCollection Targets
    {
        get => ParameterBag.Get<EntityCollection>(Parameters, "Targets");
        set => Parameters["Targets"] = value;
    }

    public ConcurrencyBehavior ConcurrencyBehavior
    {
        get => ParameterBag.Get<ConcurrencyBehavior>(Parameters, "ConcurrencyBehavior");
        set => Parameters["ConcurrencyBehavior"] = value;
    }
}
