using System.Runtime.Serialization;
using PartnerGuard.XrmSdk.Internal;

namespace Microsoft.Xrm.Sdk.Messages;

/// <summary>
/// Results["Results"] holds one UpsertResponse per target. The typed Results property hides the inherited
/// Results bag, as in the official type; the bag stays reachable as ((OrganizationResponse)response).Results.
/// </summary>
[DataContract(Namespace = XrmContracts.Namespace2011)]
public sealed class UpsertMultipleResponse : OrganizationResponse
{
    public UpsertMultipleResponse()
    {
    }

    public new UpsertResponse[] Results => ParameterBag.Get<UpsertResponse[]>(base.Results, "Results");
}
