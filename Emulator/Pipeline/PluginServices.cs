using System.Globalization;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>The service provider a plugin's Execute receives.</summary>
internal sealed class PluginServiceProvider : IServiceProvider
{
    private readonly PluginContext _context;
    private readonly ITracingService _tracing;
    private readonly IOrganizationServiceFactory _factory;

    public PluginServiceProvider(PluginContext context, ITracingService tracing, IOrganizationServiceFactory factory)
    {
        _context = context;
        _tracing = tracing;
        _factory = factory;
    }

    public object? GetService(Type serviceType)
    {
        if (serviceType is null)
        {
            return null;
        }

        if (serviceType.IsInstanceOfType(_context))
        {
            // IPluginExecutionContext, 2, 3, 4 and IExecutionContext all resolve to the same context.
            return _context;
        }

        if (serviceType == typeof(ITracingService))
        {
            return _tracing;
        }

        if (serviceType == typeof(IOrganizationServiceFactory))
        {
            return _factory;
        }

        return null;
    }
}

/// <summary>A trace line written by a plugin.</summary>
/// <param name="StepName">The step that wrote it.</param>
/// <param name="CorrelationId">The operation's correlation id.</param>
/// <param name="Text">The formatted text.</param>
public sealed record PluginTraceLine(string StepName, Guid CorrelationId, string Text);

/// <summary>Collects ITracingService output into the org's trace log.</summary>
internal sealed class TracingService : ITracingService
{
    private readonly Action<string> _sink;

    public TracingService(Action<string> sink) => _sink = sink;

    public void Trace(string format, params object[] args)
    {
        if (format is null)
        {
            return;
        }

        string text;
        try
        {
            text = args is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, format, args) : format;
        }
        catch (FormatException)
        {
            text = format;
        }

        _sink(text);
    }
}

/// <summary>
/// The IOrganizationServiceFactory a plugin receives: services run one level deeper, as the user asked for. As the
/// SDK documents CreateOrganizationService for plug-ins: null is the SYSTEM user, Guid.Empty the context's UserId, any
/// other value that user. The emulator has no separate SYSTEM user row: SYSTEM passes every security check and stands in
/// as the org's built-in administrator (<see cref="DataverseOrg.AdministratorId"/>) in audit columns and the context.
/// </summary>
internal sealed class PluginServiceFactory : IOrganizationServiceFactory
{
    private readonly DataverseOrg _org;
    private readonly PluginContext _context;

    public PluginServiceFactory(DataverseOrg org, PluginContext context)
    {
        _org = org;
        _context = context;
    }

    public IOrganizationService CreateOrganizationService(Guid? userId)
    {
        var service = Create(userId);
        return _org.Options.PluginServiceWrapper is { } wrap ? wrap(service, userId) : service;
    }

    private OrganizationService Create(Guid? userId)
        => new(_org, new CallerContext(
            userId switch
            {
                null => _org.AdministratorId,
                { } id when id == Guid.Empty => _context.UserId,
                { } id => id,
            },
            _context.InitiatingUserId,
            _context,
            _context.BypassPlugins,
            InsideBatch: false) { IsSystem = userId is null });
}
