using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.Tests.Support;

/// <summary>Records every invocation it sees, keyed by its configuration string.</summary>
public sealed class RecordingPlugin : IPlugin
{
    public static readonly List<string> Calls = new();
    public static readonly List<IPluginExecutionContext4> Contexts = new();
    private readonly string _label;

    public RecordingPlugin(string unsecure) => _label = unsecure ?? "(none)";

    public static void Reset()
    {
        Calls.Clear();
        Contexts.Clear();
    }

    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext4)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        Calls.Add($"{_label}:{context.MessageName}:{context.Stage}:{context.Depth}");
        Contexts.Add(context);
    }
}

/// <summary>Throws an InvalidPluginExecutionException with its configuration as the message.</summary>
public sealed class ThrowingPlugin : IPlugin
{
    private readonly string _message;

    public ThrowingPlugin(string unsecure) => _message = unsecure;

    public void Execute(IServiceProvider serviceProvider) => throw new InvalidPluginExecutionException(_message);
}

/// <summary>Throws a plain exception (a plugin bug).</summary>
public sealed class CrashingPlugin : IPlugin
{
    public void Execute(IServiceProvider serviceProvider) => throw new InvalidOperationException("boom");
}

/// <summary>Creates a contact through the factory's service (a nested write), named by its configuration.</summary>
public sealed class NestedCreatePlugin : IPlugin
{
    private readonly string _name;

    public NestedCreatePlugin(string unsecure) => _name = unsecure;

    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
        var service = factory.CreateOrganizationService(context.UserId);
        service.Create(new Entity("contact") { ["lastname"] = _name });
    }
}

/// <summary>Sets a value on the Target in a pre stage (the core operation then stores it).</summary>
public sealed class SetDescriptionPlugin : IPlugin
{
    private readonly string _text;

    public SetDescriptionPlugin(string unsecure, string secure) => _text = unsecure + "|" + secure;

    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        var target = (Entity)context.InputParameters["Target"];
        target["description"] = _text;
    }
}

/// <summary>Updates its own target again from PostOperation, forever: the platform's loop guard must stop it.</summary>
public sealed class LoopingPlugin : IPlugin
{
    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
        var service = factory.CreateOrganizationService(null);
        service.Update(new Entity(context.PrimaryEntityName, context.PrimaryEntityId) { ["description"] = "depth " + context.Depth });
    }
}

/// <summary>Writes a shared variable and makes a nested call, whose plugins read it.</summary>
public sealed class SharedVariablePlugin : IPlugin
{
    public static readonly List<string> Seen = new();

    public void Execute(IServiceProvider serviceProvider)
    {
        var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
        if (context.PrimaryEntityName == "account")
        {
            context.SharedVariables["marker"] = "from-account";
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            factory.CreateOrganizationService(null).Create(new Entity("contact") { ["lastname"] = "nested" });
        }
        else
        {
            Seen.Add($"{context.Depth}:{(context.SharedVariables.Contains("marker") ? context.SharedVariables["marker"] : "none")}:{context.ParentContext?.PrimaryEntityName ?? "no-parent"}");
        }
    }
}

/// <summary>Counts how many instances were constructed (the platform caches one per step).</summary>
public sealed class CountingPlugin : IPlugin
{
    public static int Constructed;
    public static int Executed;

    public CountingPlugin() => Interlocked.Increment(ref Constructed);

    public void Execute(IServiceProvider serviceProvider) => Interlocked.Increment(ref Executed);
}

/// <summary>Retrieves a missing row and lets the fault escape (the platform passes it on unchanged).</summary>
public sealed class RetrieveMissingPlugin : IPlugin
{
    public void Execute(IServiceProvider serviceProvider)
    {
        var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
        factory.CreateOrganizationService(null).Retrieve("account", Guid.NewGuid(), new ColumnSet(true));
    }
}

/// <summary>Catches the fault of a failed nested request and carries on (a plugin bug the platform punishes).</summary>
public sealed class SwallowingPlugin : IPlugin
{
    public void Execute(IServiceProvider serviceProvider)
    {
        var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
        try
        {
            factory.CreateOrganizationService(null).Retrieve("account", Guid.NewGuid(), new ColumnSet(true));
        }
        catch (FaultException<OrganizationServiceFault>)
        {
            // ignored on purpose
        }
    }
}

/// <summary>Creates a contact through a service for the user named in its configuration ("null" asks for a null user id).</summary>
public sealed class CreateAsUserPlugin : IPlugin
{
    private readonly Guid? _user;

    public CreateAsUserPlugin(string unsecure) => _user = unsecure == "null" ? null : Guid.Parse(unsecure);

    public void Execute(IServiceProvider serviceProvider)
    {
        var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
        factory.CreateOrganizationService(_user).Create(new Entity("contact") { ["lastname"] = "as user" });
    }
}
