using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Solution;

namespace PartnerGuard.Emulator;

/// <summary>Loading a solution and the environment variables it defines.</summary>
public sealed partial class DataverseOrg
{
    /// <summary>
    /// Loads an unpacked solution folder (for example <c>solution/src</c>): its tables and columns, option sets,
    /// one-to-many relationships (lookup targets), environment variable definitions and, unless
    /// <paramref name="registerSteps"/> is false, its plugin steps.
    /// </summary>
    /// <param name="folder">The unpacked solution root.</param>
    /// <param name="resolvePluginType">Maps a step's PluginTypeName (assembly-qualified) to a type; by default
    /// <see cref="DataverseOrgOptions.PluginTypeResolver"/>, then the assemblies the host has loaded or can load.</param>
    /// <param name="registerSteps">False to load only the schema.</param>
    public SolutionLoadResult LoadSolution(string folder, Func<string, Type?>? resolvePluginType = null, bool registerSteps = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        using (Gate.Write())
        {
            var resolve = resolvePluginType
                ?? (Options.PluginTypeResolver is { } resolver ? Pipeline.PluginTypeResolver.ForQualifiedNames(resolver) : null);
            return new SolutionLoader(this, folder, resolve).Load(registerSteps);
        }
    }

    /// <summary>Adds (or replaces, on a second load) a Custom API; called with the write lock held.</summary>
    internal void RegisterCustomApi(CustomApi api) => _customApis[api.UniqueName] = api;

    /// <summary>The Custom API a message name denotes, or null.</summary>
    internal CustomApi? FindCustomApi(string? name)
        => name is not null && _customApis.TryGetValue(name, out var api) ? api : null;

    /// <summary>Creates an environment variable definition (once per schema name) with its default value.</summary>
    public Guid DefineEnvironmentVariable(string schemaName, string? defaultValue, int type = 100000000, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaName);
        if (FindEnvironmentVariable(schemaName) is { } existing)
        {
            return existing;
        }

        var definition = new Entity("environmentvariabledefinition")
        {
            ["schemaname"] = schemaName,
            ["displayname"] = displayName ?? schemaName,
            ["type"] = new OptionSetValue(type),
        };
        if (!string.IsNullOrEmpty(defaultValue))
        {
            definition["defaultvalue"] = defaultValue;
        }

        return Seed(definition);
    }

    /// <summary>Sets the current value of an environment variable (an environmentvariablevalue row), as an admin does per environment.</summary>
    public void SetEnvironmentVariable(string schemaName, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaName);
        var definition = FindEnvironmentVariable(schemaName)
            ?? throw new InvalidOperationException($"The environment variable '{schemaName}' is not defined; load the solution or call DefineEnvironmentVariable first.");
        var service = GetService(new RequestOptions { BypassCustomPluginExecution = true });
        var query = new QueryExpression("environmentvariablevalue") { ColumnSet = new ColumnSet("value") };
        query.Criteria.AddCondition("environmentvariabledefinitionid", ConditionOperator.Equal, definition);
        var existing = service.RetrieveMultiple(query).Entities.FirstOrDefault();
        if (existing is null)
        {
            service.Create(new Entity("environmentvariablevalue")
            {
                ["schemaname"] = schemaName,
                ["value"] = value,
                ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", definition),
            });
        }
        else
        {
            service.Update(new Entity("environmentvariablevalue", existing.Id) { ["value"] = value });
        }
    }

    private Guid? FindEnvironmentVariable(string schemaName)
    {
        using (Gate.Read())
        {
            foreach (var row in Store.Rows("environmentvariabledefinition"))
            {
                if (row.Get("schemaname") is string name && string.Equals(name, schemaName, StringComparison.OrdinalIgnoreCase))
                {
                    return row.Id;
                }
            }
        }

        return null;
    }
}
