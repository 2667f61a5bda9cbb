using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Crm.Sdk.Messages;

/// <summary>
/// The "Assign" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Target, Assignee with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.CrmNamespace2011)]
public sealed class AssignRequest : OrganizationRequest
{
    public AssignRequest()
    {
        RequestName = "Assign";
        Parameters["Target"] = null;
        Parameters["Assignee"] = null;
    }

    public EntityReference Target
    {
        get => ParameterBag.Get<EntityReference>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }

    public EntityReference Assignee
    {
        get => ParameterBag.Get<EntityReference>(Parameters, "Assignee");
        set => Parameters["Assignee"] = value;
    }
}
