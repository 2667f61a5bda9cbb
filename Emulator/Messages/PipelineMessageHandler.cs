using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// A message that runs through the event pipeline: <see cref="Describe"/> validates the request before stage 10 and
/// names what plug-in steps see; <see cref="Execute"/> is the main operation (stage 30).
/// </summary>
internal abstract class PipelineMessageHandler : MessageHandler
{
    /// <summary>
    /// Validates the request and returns the invocations plug-in steps see: the message itself first, then any
    /// companions (the CreateMultiple step of a single Create, the per-item Create steps of a CreateMultiple).
    /// </summary>
    public abstract List<Invocation> Describe(DataverseOrg org, OrganizationRequest request, CallerContext caller);

    /// <summary>The main operation; fills the invocations' post rows and output parameters.</summary>
    public abstract OrganizationResponse Execute(DataverseOrg org, OrganizationRequest request, List<Invocation> operation, CallerContext caller);

    /// <summary>
    /// For a read (<see cref="MessageHandler.IsRead"/>): the table a plug-in step would have to be registered on to
    /// see this request, or null when the request is too malformed to tell (it then takes the full pipeline).
    /// </summary>
    public virtual string? TableSeenBySteps(OrganizationRequest request) => null;

    public sealed override OrganizationResponse Run(DataverseOrg org, OrganizationRequest request, CallerContext caller)
        => org.RunPipeline(this, request, caller);
}
