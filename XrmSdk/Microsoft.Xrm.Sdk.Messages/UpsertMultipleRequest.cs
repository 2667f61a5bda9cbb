using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "UpsertMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Targets with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class UpsertMultipleRequest : OrganizationRequest
{
    public UpsertMultipleRequest()
    {
        RequestName = "UpsertMultiple";
        Parameters["Targets"] = null;
    }

    public EntityCollection Targets
    {
        get => ParameterBag.Get<EntityCollection>(Parameters, "Targets");
        set => Parameters["Targets"] = value;
    }
}
