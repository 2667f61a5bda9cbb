using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>
/// The execution context a plugin receives. One instance per step invocation; it answers every
/// context interface of the SDK up to <see cref="IPluginExecutionContext4"/> (the image arrays for
/// CreateMultiple/UpdateMultiple).
/// </summary>
internal sealed class PluginContext : IPluginExecutionContext4
{
    private static readonly EntityImageCollection[] NoImages = Array.Empty<EntityImageCollection>();

    public int Mode { get; init; }
    public int IsolationMode { get; init; } = 2;
    public int Depth { get; init; } = 1;
    public string MessageName { get; init; } = string.Empty;
    public string PrimaryEntityName { get; init; } = string.Empty;
    public Guid? RequestId { get; init; }
    public string SecondaryEntityName { get; init; } = "none";
    public ParameterCollection InputParameters { get; init; } = new();
    public ParameterCollection OutputParameters { get; set; } = new();
    public ParameterCollection SharedVariables { get; init; } = new();
    public Guid UserId { get; init; }
    public Guid InitiatingUserId { get; init; }
    public Guid BusinessUnitId { get; init; }
    public Guid OrganizationId { get; init; }
    public string OrganizationName { get; init; } = string.Empty;
    public Guid PrimaryEntityId { get; set; }
    public EntityImageCollection PreEntityImages { get; init; } = new();
    public EntityImageCollection PostEntityImages { get; set; } = new();
    public EntityReference? OwningExtension { get; init; }
    public Guid CorrelationId { get; init; }
    public bool IsExecutingOffline => false;
    public bool IsOfflinePlayback => false;
    public bool IsInTransaction { get; init; }
    public Guid OperationId { get; init; }
    public DateTime OperationCreatedOn { get; init; }
    public int Stage { get; init; }
    public IPluginExecutionContext? ParentContext { get; init; }
    public Guid UserAzureActiveDirectoryObjectId { get; init; }
    public Guid InitiatingUserAzureActiveDirectoryObjectId { get; init; }
    public Guid InitiatingUserApplicationId { get; init; }
    public Guid PortalsContactId => Guid.Empty;
    public bool IsPortalsClientCall => false;
    public Guid AuthenticatedUserId { get; init; }
    public EntityImageCollection[] PreEntityImagesCollection { get; init; } = NoImages;
    public EntityImageCollection[] PostEntityImagesCollection { get; set; } = NoImages;

    /// <summary>The step this context runs, for traces.</summary>
    internal PluginStep? Step { get; init; }

    /// <summary>The caller that started the operation (to build nested callers from the factory).</summary>
    internal bool BypassPlugins { get; init; }
}
