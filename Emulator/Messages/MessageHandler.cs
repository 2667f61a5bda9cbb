using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Messages;

/// <summary>
/// One Dataverse message (a request name) as the org runs it. Every concrete subclass in this assembly is found by
/// <see cref="MessageRegistry"/>, so supporting a new message means adding one file here.
/// </summary>
internal abstract class MessageHandler
{
    /// <summary>The request name this handler answers (compared ordinally, as the platform does).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True for a message that only reads: a top-level request of it runs under the shared lock, in parallel with
    /// other reads, when no plug-in step can see it (see <see cref="OrgGate"/>).
    /// </summary>
    public virtual bool IsRead => false;

    /// <summary>Runs the request for a caller and returns its response.</summary>
    public abstract OrganizationResponse Run(DataverseOrg org, OrganizationRequest request, CallerContext caller);
}
