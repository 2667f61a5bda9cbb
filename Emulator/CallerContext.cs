using PartnerGuard.Emulator.Pipeline;

namespace PartnerGuard.Emulator;

/// <summary>Options for running a request as a given user (the HTTP front and tests use these).</summary>
public sealed class RequestOptions
{
    /// <summary>Skip custom plugin steps, as the <c>BypassCustomPluginExecution</c> optional parameter does (the caller needs the prvBypassCustomPlugins privilege in Dataverse).</summary>
    public bool BypassCustomPluginExecution { get; init; }

    /// <summary>The user the request runs as; null means the org's administrator.</summary>
    public Guid? UserId { get; init; }

    /// <summary>Set by the Web API front: its <c>$orderby</c> orders a choice column by number, not by label.</summary>
    internal bool OrderChoicesByValue { get; init; }
}

/// <summary>Who runs a request and from where: the user, the initiating user, and the plugin context that made the call (for depth and shared variables).</summary>
internal sealed record CallerContext(
    Guid UserId,
    Guid InitiatingUserId,
    PluginContext? Parent,
    bool BypassPlugins,
    bool InsideBatch,
    bool OrderChoicesByValue = false)
{
    public int Depth => Parent is null ? 1 : Parent.Depth + 1;

    /// <summary>
    /// Runs as SYSTEM: every security check passes (a plug-in's <c>CreateOrganizationService(null)</c>, seeding and the
    /// org's own bookkeeping). <see cref="UserId"/> is then the org's administrator, who stands in for SYSTEM in audit columns.
    /// </summary>
    public bool IsSystem { get; init; }

    /// <summary>
    /// The caller asked for BypassCustomPluginExecution through the SDK (<see cref="RequestOptions"/>): each top-level
    /// request checks prvBypassCustomPlugins. The Web API front checks its bypass headers' privileges itself.
    /// </summary>
    public bool DemandsBypass { get; init; }

    /// <summary>
    /// The authenticated user when this top-level request impersonates <see cref="UserId"/> (Web API MSCRMCallerID /
    /// CallerObjectId): each check then needs the privilege of both ("Impersonate another user": the privileges used are
    /// the intersection of the impersonator's and the impersonated user's). Not passed on to plug-ins' calls.
    /// </summary>
    public Guid? Impersonator { get; init; }
}
