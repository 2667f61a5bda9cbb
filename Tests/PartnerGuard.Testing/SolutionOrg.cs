using System.Reflection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Solution;

namespace PartnerGuard.Testing;

/// <summary>
/// An emulated org with PartnerGuard's solution (solution/src) loaded: its tables, columns, environment variables and,
/// unless asked otherwise, its own plug-in step registrations. The clock is a <see cref="FakeTimeProvider"/>, and the
/// services plug-ins get are metered by <see cref="Meter"/>. Tests that need another registration clear the steps
/// (<see cref="DataverseOrg.ClearSteps"/>) and register their own.
/// </summary>
public sealed class SolutionOrg
{
    private SolutionOrg(DataverseOrg org, FakeTimeProvider clock, PluginServiceMeter meter, SolutionLoadResult loaded)
    {
        Org = org;
        Clock = clock;
        Meter = meter;
        Loaded = loaded;
    }

    /// <summary>The emulated org.</summary>
    public DataverseOrg Org { get; }

    /// <summary>The org's clock (createdon, OperationCreatedOn): moves only when the test advances it.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Every call the plug-ins made through their organization services, and as whom.</summary>
    public PluginServiceMeter Meter { get; }

    /// <summary>What loading the solution found (steps, environment variables).</summary>
    public SolutionLoadResult Loaded { get; }

    /// <summary>A service running as the org's administrator.</summary>
    public IOrganizationService Admin => Org.GetService();

    /// <summary>
    /// Creates the org and loads the solution. <paramref name="pluginAssembly"/> is PartnerGuard.Plugins (the kit does
    /// not reference it; see the project file); without it, or with <paramref name="registerSteps"/> false, only the schema loads.
    /// </summary>
    public static SolutionOrg Create(Assembly? pluginAssembly, bool registerSteps = true, FakeTimeProvider? clock = null)
    {
        var meter = new PluginServiceMeter();
        clock ??= TestClock.At();
        var org = DataverseOrg.Create(new DataverseOrgOptions
        {
            Clock = clock,
            PluginTypeResolver = pluginAssembly is null ? null : PluginTypeResolver.FromAssemblies(pluginAssembly),
            PluginServiceWrapper = meter.Wrap,
        });
        var loaded = org.LoadSolution(RepoPaths.SolutionSource, registerSteps: registerSteps && pluginAssembly is not null);
        return new SolutionOrg(org, clock, meter, loaded);
    }

    /// <summary>The current time of the org's clock, as Dataverse stores it (UTC).</summary>
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    /// <summary>A service running as the given user.</summary>
    public IOrganizationService As(Guid userId) => Org.GetService(userId);

    /// <summary>Sets an environment variable's current value (the value row), as an admin does in the maker portal.</summary>
    public SolutionOrg WithSetting(string schemaName, string value)
    {
        Org.SetEnvironmentVariable(schemaName, value);
        return this;
    }
}
