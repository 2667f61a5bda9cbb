namespace PartnerGuard.Plugins;

/// <summary>
/// One processing step as the solution must register it. The plug-ins check the running context
/// against these values, and the solution's drift guard checks the solution XML against them.
/// </summary>
public sealed record ExpectedStep
{
    public ExpectedStep(
        string pluginTypeName,
        string message,
        string primaryEntity,
        int stage,
        int mode,
        IReadOnlyList<string> filteringAttributes,
        string? preImageAlias,
        IReadOnlyList<string> preImageColumns)
    {
        PluginTypeName = pluginTypeName;
        Message = message;
        PrimaryEntity = primaryEntity;
        Stage = stage;
        Mode = mode;
        FilteringAttributes = filteringAttributes;
        PreImageAlias = preImageAlias;
        PreImageColumns = preImageColumns;
    }

    /// <summary>Full type name of the IPlugin class.</summary>
    public string PluginTypeName { get; }

    /// <summary>SDK message name, e.g. "Create".</summary>
    public string Message { get; }

    /// <summary>Logical name of the table.</summary>
    public string PrimaryEntity { get; }

    /// <summary>10 PreValidation, 20 PreOperation, 40 PostOperation.</summary>
    public int Stage { get; }

    /// <summary>0 synchronous, 1 asynchronous.</summary>
    public int Mode { get; }

    /// <summary>Filtering attributes of an Update step; empty means none (the step runs on every update).</summary>
    public IReadOnlyList<string> FilteringAttributes { get; }

    /// <summary>Entity alias of the pre-image, or null when the step has none.</summary>
    public string? PreImageAlias { get; }

    /// <summary>Columns of the pre-image; empty when there is none.</summary>
    public IReadOnlyList<string> PreImageColumns { get; }
}
