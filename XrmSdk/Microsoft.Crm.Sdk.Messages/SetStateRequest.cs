using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>
/// The "SetState" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds EntityMoniker, State, Status with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.CrmNamespace2011)]
public sealed class SetStateRequest : OrganizationRequest
{
    public SetStateRequest()
    {
        RequestName = "SetState";
        Parameters["EntityMoniker"] = null;
        Parameters["State"] = null;
        Parameters["Status"] = null;
    }

    public EntityReference EntityMoniker
    {
        get => ParameterBag.Get<EntityReference>(Parameters, "EntityMoniker");
        set => Parameters["EntityMoniker"] = value;
    }

    public OptionSetValue State
    {
        get => ParameterBag.Get<OptionSetValue>(Parameters, "State");
        set => Parameters["State"] = value;
    }

    public OptionSetValue Status
    {
        get => ParameterBag.Get<OptionSetValue>(Parameters, "Status");
        set => Parameters["Status"] = value;
    }
}
