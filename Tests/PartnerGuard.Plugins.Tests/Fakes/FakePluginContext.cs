using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins.Tests.Fakes;

// The one plug-in double kept, and why: the emulator runs every write alone (OrgGate), so it never runs one plug-in
// instance on several threads at once, which the platform does and ParallelExecutionTests must reproduce. These types
// hand a plug-in its context and tracing directly on the test's threads; its reads still go to the emulator
// (TestOrg.InvokeDirectly), so no query is answered by test code.

/// <summary>An execution context with settable values, as the platform hands one to a plug-in.</summary>
internal sealed class FakePluginContext : IPluginExecutionContext
{
    public int Mode { get; set; }

    public int IsolationMode { get; set; } = 2;

    public int Depth { get; set; } = 1;

    public string MessageName { get; set; } = "Create";

    public string PrimaryEntityName { get; set; } = "opportunity";

    public Guid? RequestId { get; set; } = Guid.NewGuid();

    public string SecondaryEntityName { get; set; } = "none";

    public ParameterCollection InputParameters { get; } = new();

    public ParameterCollection OutputParameters { get; } = new();

    public ParameterCollection SharedVariables { get; } = new();

    public Guid UserId { get; set; } = Guid.NewGuid();

    public Guid InitiatingUserId { get; set; } = Guid.NewGuid();

    public Guid BusinessUnitId { get; set; } = Guid.NewGuid();

    public Guid OrganizationId { get; set; } = Guid.NewGuid();

    public string OrganizationName { get; set; } = "contoso";

    public Guid PrimaryEntityId { get; set; }

    public EntityImageCollection PreEntityImages { get; } = new();

    public EntityImageCollection PostEntityImages { get; } = new();

    public EntityReference OwningExtension { get; set; } = new("sdkmessageprocessingstep", Guid.NewGuid());

    public Guid CorrelationId { get; set; } = Guid.NewGuid();

    public bool IsExecutingOffline { get; set; }

    public bool IsOfflinePlayback { get; set; }

    public bool IsInTransaction { get; set; } = true;

    public Guid OperationId { get; set; } = Guid.NewGuid();

    public DateTime OperationCreatedOn { get; set; } = new(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc);

    public int Stage { get; set; } = 20;

    public IPluginExecutionContext ParentContext { get; set; } = null!;
}

/// <summary>Collects trace lines as the platform's trace log would.</summary>
internal sealed class FakeTracingService : ITracingService
{
    public List<string> Lines { get; } = new();

    public void Trace(string format, params object[] args) => Lines.Add(args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}

/// <summary>Hands out the context, tracing and an organization service factory, as the platform's service provider does.</summary>
internal sealed class FakeServiceProvider : IServiceProvider, IOrganizationServiceFactory
{
    private readonly FakePluginContext _context;
    private readonly FakeTracingService _tracing;
    private readonly Func<Guid?, IOrganizationService> _services;

    public FakeServiceProvider(FakePluginContext context, FakeTracingService tracing, Func<Guid?, IOrganizationService> services)
    {
        _context = context;
        _tracing = tracing;
        _services = services;
    }

    public object? GetService(Type serviceType) =>
        serviceType == typeof(IPluginExecutionContext) ? _context
        : serviceType == typeof(ITracingService) ? _tracing
        : serviceType == typeof(IOrganizationServiceFactory) ? this
        : null;

    public IOrganizationService CreateOrganizationService(Guid? userId) => _services(userId);
}
