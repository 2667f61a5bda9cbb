using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "Retrieve" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Target, ColumnSet with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class RetrieveRequest : OrganizationRequest
{
    public RetrieveRequest()
    {
        RequestName = "Retrieve";
        Parameters["Target"] = null;
        Parameters["ColumnSet"] = null;
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
