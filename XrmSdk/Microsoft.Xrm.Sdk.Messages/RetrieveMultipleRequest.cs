using System.Runtime.Serialization;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// The "RetrieveMultiple" message; each property reads and writes Parameters["&lt;property name&gt;"]. The constructor
/// adds Query with null values, as the official constructor does.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class RetrieveMultipleRequest : OrganizationRequest
{
    public RetrieveMultipleRequest()
    {
        RequestName = "RetrieveMultiple";
        Parameters["Query"] = null;
    }

    public QueryBase Query
    {
        get => ParameterBag.Get<QueryBase>(Parameters, "Query");
        set => Parameters["Query"] = value;
    }
}
