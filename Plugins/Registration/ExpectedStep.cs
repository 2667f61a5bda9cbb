namespace PartnerGuard.Plugins;

/// <summary>
/// One processing step as the solution must register it. The plug-ins check the running context
/// against these values, and the solution's drift guard checks the solution XML against them.
/// </summary>
/// <param name="PluginTypeName">Full type name of the IPlugin class.</param>
/// <param name="Message">SDK message name, e.g. "Create".</param>
/// <param name="PrimaryEntity">Logical name of the table.</param>
/// <param name="Stage">10 PreValidation, 20 PreOperation, 40 PostOperation.</param>
/// <param name="Mode">0 synchronous, 1 asynchronous.</param>
/// <param name="FilteringAttributes">Filtering attributes of an Update step; empty means none (the step runs on every update).</param>
/// <param name="PreImageAlias">Entity alias of the pre-image, or null when the step has none.</param>
/// <param name="PreImageColumns">Columns of the pre-image; empty when there is none.</param>
public sealed record ExpectedStep(
    string PluginTypeName,
    string Message,
    string PrimaryEntity,
    int Stage,
    int Mode,
    IReadOnlyList<string> FilteringAttributes,
    string? PreImageAlias,
    IReadOnlyList<string> PreImageColumns);
