using System.Diagnostics;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;

namespace PartnerGuard.Plugins;

/// <summary>
/// Everything one plug-in execution needs from the platform, built per call (never stored on the plug-in):
/// the context, tracing, the checked step, the target and its pre-image. Writes the entry and exit trace
/// lines (ids and codes only, no personal data).
/// </summary>
internal sealed class PluginRun
{
    private const string TargetParameter = "Target";

    private readonly IServiceProvider _services;
    private readonly ITracingService? _tracing;
    private readonly Stopwatch _elapsed;
    private readonly string _check;

    private PluginRun(IServiceProvider services, IPluginExecutionContext context, ITracingService? tracing, string pluginName, string check)
    {
        _services = services;
        Context = context;
        _tracing = tracing;
        PluginName = pluginName;
        _check = check;
        _elapsed = Stopwatch.StartNew();
    }

    public IPluginExecutionContext Context { get; }

    public string PluginName { get; }

    /// <summary>The operation's own time: "now" for every rule and record.</summary>
    public DateTime Now => Context.OperationCreatedOn;

    public static PluginRun Start(IServiceProvider serviceProvider, string pluginName, string check)
    {
        if (serviceProvider is null)
        {
            throw new ArgumentNullException(nameof(serviceProvider));
        }

        var context = (IPluginExecutionContext?)serviceProvider.GetService(typeof(IPluginExecutionContext))
            ?? throw new InvalidPluginExecutionException(Notices.WrongRegistration(check, "(no context)", "(unknown)", 0, 0));
        var tracing = (ITracingService?)serviceProvider.GetService(typeof(ITracingService));
        var run = new PluginRun(serviceProvider, context, tracing, pluginName, check);
        run.Trace(
            "{0}: entry message={1} table={2} stage={3} mode={4} depth={5} correlation={6} operation={7}",
            pluginName, context.MessageName, context.PrimaryEntityName, context.Stage, context.Mode, context.Depth, context.CorrelationId, context.OperationId);
        return run;
    }

    /// <summary>The step this execution runs for; a guard never fails open, so any other registration is PG-901.</summary>
    public ExpectedStep RequireStep(params ExpectedStep[] steps)
    {
        foreach (var step in steps)
        {
            if (string.Equals(Context.MessageName, step.Message, StringComparison.Ordinal)
                && string.Equals(Context.PrimaryEntityName, step.PrimaryEntity, StringComparison.Ordinal)
                && Context.Stage == step.Stage
                && Context.Mode == step.Mode)
            {
                return step;
            }
        }

        throw WrongRegistration();
    }

    /// <summary>The record being created or updated.</summary>
    public Entity Target()
    {
        if (Context.InputParameters is not null
            && Context.InputParameters.TryGetValue(TargetParameter, out var value)
            && value is Entity target)
        {
            return target;
        }

        throw WrongRegistration();
    }

    /// <summary>The step's pre-image, or null for a step registered without one. A missing registered image is PG-901.</summary>
    public Entity? PreImage(ExpectedStep step)
    {
        if (step.PreImageAlias is null)
        {
            return null;
        }

        if (Context.PreEntityImages is not null && Context.PreEntityImages.TryGetValue(step.PreImageAlias, out var image) && image is not null)
        {
            return image;
        }

        throw Refuse(Notices.PreImageMissing(_check, step.PreImageAlias));
    }

    /// <summary>
    /// An organization service running as the SYSTEM user (a null user id): the guard reads partners, rules
    /// and settings the same way whatever the seller may see. It only reads.
    /// </summary>
    public IOrganizationService SystemService()
    {
        var factory = (IOrganizationServiceFactory?)_services.GetService(typeof(IOrganizationServiceFactory))
            ?? throw new InvalidOperationException("The execution provides no IOrganizationServiceFactory.");
        return factory.CreateOrganizationService(null);
    }

    public void Trace(string format, params object?[] args) => _tracing?.Trace(format, args);

    /// <summary>Traces an unexpected failure in full and turns it into the catalogued PG-902 message.</summary>
    public InvalidPluginExecutionException Unexpected(Exception exception)
    {
        Trace("{0}: unexpected failure {1}", PluginName, exception.ToString());
        return new InvalidPluginExecutionException(Notices.Unexpected(Context.CorrelationId), exception);
    }

    public void Exit() => Trace("{0}: exit elapsed={1} ms", PluginName, _elapsed.ElapsedMilliseconds);

    private InvalidPluginExecutionException WrongRegistration() =>
        Refuse(Notices.WrongRegistration(_check, Context.MessageName ?? "(none)", Context.PrimaryEntityName ?? "(none)", Context.Stage, Context.Mode));

    private InvalidPluginExecutionException Refuse(string message)
    {
        Trace("{0}: refused {1}", PluginName, message);
        return new InvalidPluginExecutionException(message);
    }
}
