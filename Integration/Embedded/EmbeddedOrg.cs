extern alias PluginAssembly;

using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The console's embedded default org: an emulator org persisted in a folder (by default ./.partnerguard/ under the
/// working directory) as org.json, held under an exclusive lock while a command uses it.
/// </summary>
/// <remarks>
/// First use creates it: the solution source is loaded (tables, columns, environment variables and the plugin
/// steps as the solution registers them), the demo data set is seeded (<see cref="DemoDataSet"/>) and the org is
/// saved. Later uses load org.json and register the solution's plugin steps again (steps are code and are not part
/// of the state file). <see cref="Save"/> writes a temporary file and renames it over org.json, so a crash never
/// leaves a half-written state.
/// </remarks>
internal sealed class EmbeddedOrg : IDisposable
{
    public const string FolderName = ".partnerguard";
    public const string StateFileName = "org.json";
    public const string LockFileName = "org.lock";

    private readonly OrgLock _lock;

    private EmbeddedOrg(DataverseOrg org, string folder, OrgLock orgLock, DemoDataSummary? seeded)
    {
        Org = org;
        Folder = folder;
        _lock = orgLock;
        Seeded = seeded;
    }

    public DataverseOrg Org { get; }

    /// <summary>The folder holding org.json and the lock file.</summary>
    public string Folder { get; }

    public string StatePath => Path.Combine(Folder, StateFileName);

    /// <summary>What was seeded when this call created the org; null when it was loaded.</summary>
    public DemoDataSummary? Seeded { get; }

    /// <summary>The folder of the embedded org for a working directory.</summary>
    public static string FolderFor(string workingDirectory) => Path.Combine(Path.GetFullPath(workingDirectory), FolderName);

    /// <summary>Locks the folder, then loads org.json or, on first use, creates, seeds and saves the org.</summary>
    /// <exception cref="ConnectionFailedException">The folder is locked by another process, or org.json cannot be read.</exception>
    public static EmbeddedOrg Open(string folder, TimeProvider time, string? solutionFolder = null)
    {
        var orgLock = OrgLock.Acquire(Path.Combine(folder, LockFileName), time);
        try
        {
            var statePath = Path.Combine(folder, StateFileName);
            var solution = solutionFolder ?? SolutionSource.Locate();
            var options = new DataverseOrgOptions { OrganizationName = "partnerguard-local", Clock = time, PluginTypeResolver = SolutionPlugins };
            if (File.Exists(statePath))
            {
                DataverseOrg loaded;
                try
                {
                    loaded = DataverseOrg.Load(statePath, options);
                }
                catch (Exception error) when (error is InvalidDataException or IOException or FormatException or InvalidOperationException)
                {
                    throw new ConnectionFailedException(
                        $"The embedded local org {statePath} could not be read: {error.Message} Delete the folder {folder} to start again with fresh demo data.", error);
                }

                RegisterSolutionSteps(loaded, solution);
                return new EmbeddedOrg(loaded, folder, orgLock, seeded: null);
            }

            var org = CreateSeeded(solution, options, out var summary);
            org.Save(statePath);
            return new EmbeddedOrg(org, folder, orgLock, summary);
        }
        catch
        {
            orgLock.Dispose();
            throw;
        }
    }

    /// <summary>A new org with the solution loaded and the demo data set seeded (not saved anywhere).</summary>
    public static DataverseOrg CreateSeeded(string solutionFolder, DataverseOrgOptions? options, out DemoDataSummary summary)
    {
        options ??= new DataverseOrgOptions();
        var clock = new SeedingClock(options.Clock, DemoDataSet.SeededOn);
        var org = DataverseOrg.Create(new DataverseOrgOptions
        {
            OrganizationName = options.OrganizationName,
            MaxDepth = options.MaxDepth,
            BaseCurrencyCode = options.BaseCurrencyCode,
            Clock = clock,
            PluginTypeResolver = options.PluginTypeResolver ?? SolutionPlugins,
            EnforceSecurity = options.EnforceSecurity,
        });
        var loaded = org.LoadSolution(solutionFolder);
        if (!loaded.Steps.Any(s => s.Table == OpportunityColumns.Table))
        {
            throw new InvalidOperationException($"The solution in {solutionFolder} registers no plugin step on opportunity; the embedded org would not enforce anything.");
        }

        summary = DemoDataSet.SeedInto(org);
        clock.Release();
        return org;
    }

    /// <summary>Writes org.json atomically (temporary file, then rename over the old one).</summary>
    public void Save() => Org.Save(StatePath);

    /// <summary>The current value of pg_EnforcementMode (the value row, else the definition's default).</summary>
    public string EnforcementMode()
    {
        var service = Org.GetService();
        var definitions = new QueryExpression(EnvironmentVariableColumns.DefinitionTable) { ColumnSet = new ColumnSet(EnvironmentVariableColumns.DefaultValue) };
        definitions.Criteria.AddCondition(EnvironmentVariableColumns.SchemaName, ConditionOperator.Equal, SettingNames.EnforcementMode);
        var definition = service.RetrieveMultiple(definitions).Entities.FirstOrDefault();
        if (definition is null)
        {
            return "not defined";
        }

        var values = new QueryExpression(EnvironmentVariableColumns.ValueTable) { ColumnSet = new ColumnSet(EnvironmentVariableColumns.Value) };
        values.Criteria.AddCondition(EnvironmentVariableColumns.DefinitionId, ConditionOperator.Equal, definition.Id);
        return service.RetrieveMultiple(values).Entities.FirstOrDefault()?.GetAttributeValue<string>(EnvironmentVariableColumns.Value)
            ?? definition.GetAttributeValue<string>(EnvironmentVariableColumns.DefaultValue)
            ?? "Audit";
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>The plug-in types the solution's steps name live in the PartnerGuard plug-in assembly.</summary>
    private static readonly Func<string, string, Type?> SolutionPlugins = PluginTypeResolver.FromAssemblies(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly);

    /// <summary>Registers the solution's plugin steps on a loaded org, read from the solution through a scratch org.</summary>
    private static void RegisterSolutionSteps(DataverseOrg org, string solutionFolder)
    {
        var scratch = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = SolutionPlugins });
        foreach (var step in scratch.LoadSolution(solutionFolder).Steps)
        {
            org.RegisterStep(step);
        }
    }
}
