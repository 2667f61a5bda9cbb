using System.Reflection;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>Pipeline stages a step can be registered in (30, the main operation, takes no custom steps).</summary>
public enum PipelineStage
{
    /// <summary>Stage 10: before the main transaction (for a top-level request).</summary>
    PreValidation = 10,
    /// <summary>Stage 20: inside the transaction, before the main operation.</summary>
    PreOperation = 20,
    /// <summary>Stage 40: inside the transaction (synchronous) after the main operation, or after commit (asynchronous).</summary>
    PostOperation = 40,

    /// <summary>Stage 30: the main operation; only a Custom API's own plug-in type runs here, never a registered step.</summary>
    MainOperation = 30,
}

/// <summary>Step execution mode (sdkmessageprocessingstep.mode).</summary>
public enum StepMode
{
    /// <summary>0: runs inside the request.</summary>
    Synchronous = 0,
    /// <summary>1: queued and run after commit (PostOperation only).</summary>
    Asynchronous = 1,
}

/// <summary>Which images a step image registration produces.</summary>
public enum ImageType
{
    /// <summary>0: the row before the operation.</summary>
    PreImage = 0,
    /// <summary>1: the row after the operation (PostOperation only).</summary>
    PostImage = 1,
    /// <summary>2: both.</summary>
    Both = 2,
}

/// <summary>An entity image registered on a step: its alias (the key in PreEntityImages/PostEntityImages) and columns (empty = all).</summary>
public sealed record StepImage(string Alias, ImageType Type, IReadOnlyList<string> Columns)
{
    /// <summary>True when the image carries every column.</summary>
    public bool AllColumns => Columns.Count == 0;
}

/// <summary>
/// A plugin step registration, as in sdkmessageprocessingstep: message, table, stage, mode, rank,
/// filtering attributes, images and configuration. One plugin instance is created per step and cached, as the
/// platform does, so plugins must be stateless.
/// </summary>
public sealed class PluginStep
{
    private readonly object _instanceGate = new();
    private IPlugin? _instance;

    /// <summary>Creates a step for a plugin type constructed on first use with its configuration.</summary>
    public PluginStep(Type pluginType, string message, string? table, PipelineStage stage)
        : this(pluginType, message, table, stage, mainOperation: false)
    {
    }

    /// <summary>A Custom API's plug-in type as its main operation (stage 30), which no registered step may use.</summary>
    internal static PluginStep ForMainOperation(Type pluginType, string message)
        => new(pluginType, message, null, PipelineStage.MainOperation, mainOperation: true) { Name = $"{pluginType.FullName}: main operation of {message}" };

    private PluginStep(Type pluginType, string message, string? table, PipelineStage stage, bool mainOperation)
    {
        ArgumentNullException.ThrowIfNull(pluginType);
        if (!typeof(IPlugin).IsAssignableFrom(pluginType))
        {
            throw new ArgumentException($"Type '{pluginType.FullName}' does not implement IPlugin.", nameof(pluginType));
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            throw new ArgumentException("A step needs a message name (Create, Update, ...).", nameof(message));
        }

        if (!Enum.IsDefined(stage) || (stage == PipelineStage.MainOperation && !mainOperation))
        {
            throw new ArgumentException($"Stage {(int)stage} is not a stage custom steps can use (10, 20 or 40).", nameof(stage));
        }

        PluginType = pluginType;
        Message = message;
        Table = string.IsNullOrWhiteSpace(table) ? null : table.ToLowerInvariant();
        Stage = stage;
        Name = $"{pluginType.FullName}: {message} of {Table ?? "any table"}";
    }

    /// <summary>Creates a step around an existing plugin instance (used as is, never constructed).</summary>
    public PluginStep(IPlugin instance, string message, string? table, PipelineStage stage)
        : this(instance?.GetType() ?? throw new ArgumentNullException(nameof(instance)), message, table, stage)
    {
        _instance = instance;
    }

    /// <summary>The step id (sdkmessageprocessingstepid).</summary>
    public Guid Id { get; init; } = Guid.NewGuid();

    /// <summary>The step name, for traces and failure records.</summary>
    public string Name { get; init; }

    /// <summary>The plugin class.</summary>
    public Type PluginType { get; }

    /// <summary>The message (Create, Update, CreateMultiple...).</summary>
    public string Message { get; }

    /// <summary>The primary table, or null for every table.</summary>
    public string? Table { get; }

    /// <summary>The stage.</summary>
    public PipelineStage Stage { get; }

    /// <summary>Synchronous or asynchronous.</summary>
    public StepMode Mode { get; init; } = StepMode.Synchronous;

    /// <summary>Execution order within the stage (ascending).</summary>
    public int Rank { get; init; } = 1;

    /// <summary>For Update steps: the step runs only when the target contains one of these columns (empty = always).</summary>
    public IReadOnlyList<string> FilteringAttributes { get; init; } = Array.Empty<string>();

    /// <summary>Images registered on the step.</summary>
    public IReadOnlyList<StepImage> Images { get; init; } = Array.Empty<StepImage>();

    /// <summary>The unsecure configuration passed to the plugin constructor.</summary>
    public string? UnsecureConfiguration { get; init; }

    /// <summary>The secure configuration passed to the plugin constructor.</summary>
    public string? SecureConfiguration { get; init; }

    /// <summary>The user the step runs as (impersonation); null means the calling user.</summary>
    public Guid? ImpersonatingUserId { get; init; }

    /// <summary>False to keep the registration but skip it (a disabled step).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The cached plugin instance, constructed with (unsecure, secure), (unsecure) or () as the platform does.</summary>
    internal IPlugin GetInstance()
    {
        if (_instance is not null)
        {
            return _instance;
        }

        lock (_instanceGate)
        {
            return _instance ??= Construct();
        }
    }

    private IPlugin Construct()
    {
        var flags = BindingFlags.Public | BindingFlags.Instance;
        try
        {
            var two = PluginType.GetConstructor(flags, new[] { typeof(string), typeof(string) });
            if (two is not null)
            {
                return (IPlugin)two.Invoke(new object?[] { UnsecureConfiguration, SecureConfiguration });
            }

            var one = PluginType.GetConstructor(flags, new[] { typeof(string) });
            if (one is not null)
            {
                return (IPlugin)one.Invoke(new object?[] { UnsecureConfiguration });
            }

            var none = PluginType.GetConstructor(flags, Type.EmptyTypes);
            if (none is not null)
            {
                return (IPlugin)none.Invoke(null);
            }
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw OrgFaults.Create(OrgErrorCodes.IsvUnExpected,
                $"The plugin '{PluginType.FullName}' could not be constructed for step '{Name}': {ex.InnerException.Message}");
        }

        throw OrgFaults.Create(OrgErrorCodes.IsvUnExpected,
            $"The plugin '{PluginType.FullName}' has no public constructor of the forms (), (string) or (string, string).");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
