using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// Checks a read solution source against the platform's rules before anything is packed. One file per concern:
/// SolutionValidator.&lt;Concern&gt;.cs (manifest, entities, relationships, choices and roles, plug-in assemblies, steps,
/// environment variables, Custom APIs, web resources, views, charts, dashboards and apps, root components, unique ids).
/// </summary>
internal sealed partial class SolutionValidator
{
    private readonly SolutionSource _source;
    private readonly IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> _assemblies;
    private readonly List<SourceProblem> _problems;
    private string _prefix = "";

    public SolutionValidator(SolutionSource source, IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> assemblies, List<SourceProblem> problems)
    {
        _source = source;
        _assemblies = assemblies;
        _problems = problems;
    }

    public void Validate()
    {
        if (_source.Manifest is not null)
        {
            ValidateManifest(_source.Manifest);
        }

        foreach (var entity in _source.Entities)
        {
            ValidateEntity(entity);
        }

        ValidateRelationships();
        foreach (var optionSet in _source.OptionSets)
        {
            ValidateOptionSet(optionSet);
        }

        foreach (var role in _source.Roles)
        {
            ValidateRole(role);
        }

        var pluginTypes = ValidatePluginAssemblies();
        foreach (var step in _source.Steps)
        {
            ValidateStep(step, pluginTypes);
        }

        foreach (var variable in _source.EnvironmentVariables)
        {
            ValidateEnvironmentVariable(variable);
        }

        foreach (var api in _source.CustomApis)
        {
            ValidateCustomApi(api, pluginTypes);
        }

        foreach (var webResource in _source.WebResources)
        {
            ValidateWebResource(webResource);
        }

        foreach (var dashboard in _source.Dashboards)
        {
            ValidateDashboard(dashboard);
        }

        foreach (var app in _source.AppModules)
        {
            ValidateAppModule(app);
        }

        foreach (var siteMap in _source.AppModuleSiteMaps)
        {
            ValidateSiteMap(siteMap);
        }

        ValidateSection(_source.EntityMaps, "EntityMaps");
        ValidateSection(_source.FieldSecurityProfiles, "FieldSecurityProfiles");
        ValidateRootComponents();
        ValidateUniqueIds();
    }

    private void Problem(SourceDocument document, XObject? at, string message)
    {
        int? line = at is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : null;
        _problems.Add(new SourceProblem(document.RelativePath, message, line));
    }


    private bool HasPrefix(string name) => _prefix.Length > 0 && name.StartsWith(_prefix + "_", StringComparison.OrdinalIgnoreCase);
}
