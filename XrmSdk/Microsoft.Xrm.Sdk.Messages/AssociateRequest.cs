using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "Associate" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Target, Relationship, RelatedEntities with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class AssociateRequest : OrganizationRequest
{
    public AssociateRequest()
    {
        RequestName = "Associate";
        Parameters["Target"] = null;
        Parameters["Relationship"] = null;
        Parameters["RelatedEntities"] = null;
    }

    public EntityReference Target
    {
        get => ParameterBag.Get<EntityReference>(Parameters, "Target");
        set => Parameters["Target"] = value;
    }

    public Relationship Relationship
    {
        get => ParameterBag.Get<Relationship>(Parameters, "Relationship");
        set => Parameters["Relationship"] = value;
    }

    public EntityReferenceCollection RelatedEntities
    {
        get => ParameterBag.Get<EntityReferenceCollection>(Parameters, "RelatedEntities");
        set => Parameters["RelatedEntities"] = value;
    }
}
