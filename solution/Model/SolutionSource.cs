using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.SolutionModel;

/// <summary>The unpacked solution folder, read and parsed. Reading never throws for bad content: it reports problems.</summary>
public sealed class SolutionSource
{
    public const string OtherFolder = "Other";
    public const string EntitiesFolder = "Entities";
    public const string OptionSetsFolder = "OptionSets";
    public const string RolesFolder = "Roles";
    public const string PluginAssembliesFolder = "PluginAssemblies";
    public const string StepsFolder = "SdkMessageProcessingSteps";
    public const string EnvironmentVariablesFolder = "environmentvariabledefinitions";
    public const string DashboardsFolder = "Dashboards";
    public const string AppModulesFolder = "AppModules";
    public const string AppModuleSiteMapsFolder = "AppModuleSiteMaps";
    public const string CustomApisFolder = "customapis";
    public const string WebResourcesFolder = "WebResources";

    private static readonly string[] KnownFolders =
        [OtherFolder, EntitiesFolder, OptionSetsFolder, RolesFolder, PluginAssembliesFolder, StepsFolder, EnvironmentVariablesFolder,
         CustomApisFolder, WebResourcesFolder, DashboardsFolder, AppModulesFolder, AppModuleSiteMapsFolder];

    /// <summary>The files of Other/ that are read; anything else there is refused (<see cref="UnsupportedKinds"/>).</summary>
    private static readonly string[] KnownOtherEntries =
        ["Solution.xml", "Customizations.xml", "Relationships.xml", "Relationships", "EntityMaps.xml", "FieldSecurityProfiles.xml"];

    /// <summary>The files and folders of Entities/&lt;Name&gt;/ that are read.</summary>
    private static readonly string[] KnownEntityEntries = ["Entity.xml", "FormXml", "SavedQueries", "Visualizations", "RibbonDiff.xml", "Formulas"];

    /// <summary>Component kinds of the unpacked layout that are not read, by folder or file name, for the refusal message.</summary>
    private static readonly IReadOnlyDictionary<string, string> UnsupportedKinds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Workflows"] = "processes (workflows, business process flows, cloud flows)",
        ["CanvasApps"] = "canvas apps",
        ["Reports"] = "reports",
        ["Templates"] = "templates",
        ["Controls"] = "custom controls",
        ["pluginpackages"] = "plug-in packages",
        ["connectionreferences"] = "connection references",
        ["botcomponents"] = "chatbot components",
        ["appactions"] = "app actions",
        ["SiteMap.xml"] = "site maps",
        ["SiteMap_managed.xml"] = "site maps",
        ["ConnectionRoles.xml"] = "connection roles",
        ["EntityDataProviders.xml"] = "virtual table data providers",
        ["Ribbon.xml"] = "ribbons",
    };

    /// <summary>The message for something in the folder the reader does not read: it names the kind and the folder.</summary>
    private static string Unsupported(string relative, string name) =>
        UnsupportedKinds.TryGetValue(name, out var kind)
            ? $"the packer does not pack {kind} ('{relative}'); remove them from the solution or pack it with SolutionPackager"
            : $"the packer does not know '{relative}', so it would not pack it; remove it or pack the solution with SolutionPackager";

    private SolutionSource(string directory) => Directory = directory;

    public string Directory { get; }
    public SourceDocument? Manifest { get; private set; }
    public SourceDocument? Customizations { get; private set; }
    public SourceDocument? RelationshipIndex { get; private set; }

    /// <summary>Other/EntityMaps.xml: &lt;EntityMaps&gt;, the column mappings between related tables.</summary>
    public SourceDocument? EntityMaps { get; private set; }

    /// <summary>Other/FieldSecurityProfiles.xml: &lt;FieldSecurityProfiles&gt;, column security profiles.</summary>
    public SourceDocument? FieldSecurityProfiles { get; private set; }
    public List<SourceDocument> RelationshipFiles { get; } = [];
    public List<EntitySource> Entities { get; } = [];
    public List<SourceDocument> OptionSets { get; } = [];
    public List<SourceDocument> Roles { get; } = [];
    public List<PluginAssemblySource> PluginAssemblies { get; } = [];
    public List<SourceDocument> Steps { get; } = [];
    public List<EnvironmentVariableSource> EnvironmentVariables { get; } = [];
    public List<CustomApiSource> CustomApis { get; } = [];
    public List<WebResourceSource> WebResources { get; } = [];

    /// <summary>Dashboards/{id}.xml: a &lt;Dashboard&gt; each (a systemform of type dashboard).</summary>
    public List<SourceDocument> Dashboards { get; } = [];

    /// <summary>AppModules/&lt;UniqueName&gt;/AppModule.xml: the model-driven apps.</summary>
    public List<SourceDocument> AppModules { get; } = [];

    /// <summary>AppModuleSiteMaps/&lt;UniqueName&gt;/AppModuleSiteMap.xml: the apps' site maps.</summary>
    public List<SourceDocument> AppModuleSiteMaps { get; } = [];

    public IEnumerable<XElement> Relationships =>
        RelationshipFiles.SelectMany(f => f.Root.Elements("EntityRelationship"));

    public EntitySource? FindEntity(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.LogicalName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the folder. Problems (unreadable XML, unknown folders, missing required files) are added to <paramref name="problems"/>.</summary>
    public static SolutionSource Read(string directory, List<SourceProblem> problems)
    {
        var source = new SolutionSource(Path.GetFullPath(directory));
        if (!System.IO.Directory.Exists(source.Directory))
        {
            problems.Add(new SourceProblem(directory, "the solution source folder does not exist"));
            return source;
        }

        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(source.Directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (System.IO.Directory.Exists(entry) && KnownFolders.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            problems.Add(new SourceProblem(name, System.IO.Directory.Exists(entry)
                ? UnsupportedKinds.ContainsKey(name)
                    ? Unsupported(name + "/", name)
                    : $"the packer does not know the component folder '{name}' (it packs {string.Join(", ", KnownFolders)})"
                : "a file at the top of the solution source is not part of any component; move or remove it"));
        }

        source.RefuseUnknown(OtherFolder, KnownOtherEntries, problems);

        source.Manifest = source.Load("Other/Solution.xml", problems, required: true);
        source.Customizations = source.Load("Other/Customizations.xml", problems, required: true);
        source.RelationshipIndex = source.Load("Other/Relationships.xml", problems, required: false);
        source.EntityMaps = source.Load("Other/EntityMaps.xml", problems, required: false);
        source.FieldSecurityProfiles = source.Load("Other/FieldSecurityProfiles.xml", problems, required: false);
        foreach (var file in source.Files("Other/Relationships", "*.xml"))
        {
            source.AddIfLoaded(source.RelationshipFiles, file, problems);
        }

        foreach (var folder in source.Folders(EntitiesFolder))
        {
            source.ReadEntity(folder, problems);
        }

        foreach (var file in source.Files(OptionSetsFolder, "*.xml"))
        {
            source.AddIfLoaded(source.OptionSets, file, problems);
        }

        foreach (var file in source.Files(RolesFolder, "*.xml"))
        {
            source.AddIfLoaded(source.Roles, file, problems);
        }

        foreach (var file in source.Files(StepsFolder, "*.xml"))
        {
            source.AddIfLoaded(source.Steps, file, problems);
        }

        foreach (var folder in source.Folders(PluginAssembliesFolder))
        {
            var dataFiles = source.Files(folder, "*.dll.data.xml").ToList();
            if (dataFiles.Count != 1)
            {
                problems.Add(new SourceProblem(folder, $"a plugin assembly folder must hold exactly one <Name>.dll.data.xml file; found {dataFiles.Count}"));
                continue;
            }

            var data = source.Load(dataFiles[0], problems, required: true);
            if (data is null)
            {
                continue;
            }

            var dll = dataFiles[0][..^".data.xml".Length];
            source.PluginAssemblies.Add(new PluginAssemblySource(
                Path.GetFileName(folder), data, File.Exists(source.Full(dll)) ? source.Full(dll) : null));
        }

        foreach (var file in source.Files(DashboardsFolder, "*.xml"))
        {
            source.AddIfLoaded(source.Dashboards, file, problems);
        }

        source.ReadAppFolders(AppModulesFolder, "AppModule.xml", source.AppModules, problems);
        source.ReadAppFolders(AppModuleSiteMapsFolder, "AppModuleSiteMap.xml", source.AppModuleSiteMaps, problems);

        foreach (var folder in source.Folders(EnvironmentVariablesFolder))
        {
            var definition = source.Load(folder + "/environmentvariabledefinition.xml", problems, required: true);
            if (definition is null)
            {
                continue;
            }

            var files = System.IO.Directory.EnumerateFiles(source.Full(folder), "*", SearchOption.AllDirectories)
                .Select(source.Relative).Order(StringComparer.Ordinal).ToList();
            source.EnvironmentVariables.Add(new EnvironmentVariableSource(Path.GetFileName(folder), definition, files));
        }

        foreach (var folder in source.Folders(CustomApisFolder))
        {
            source.ReadCustomApi(folder, problems);
        }

        source.ReadWebResources(problems);
        return source;
    }

    /// <summary>AppModules/&lt;name&gt;/ and AppModuleSiteMaps/&lt;name&gt;/ hold one file each; anything else in them is refused.</summary>
    private void ReadAppFolders(string parent, string fileName, List<SourceDocument> target, List<SourceProblem> problems)
    {
        foreach (var folder in Folders(parent))
        {
            RefuseUnknown(folder, [fileName], problems);
            if (Load(folder + "/" + fileName, problems, required: true) is { } document)
            {
                target.Add(document);
            }
        }
    }

    private void ReadCustomApi(string folder, List<SourceProblem> problems)
    {
        const string Requests = "customapirequestparameters";
        const string Responses = "customapiresponseproperties";
        RefuseUnknown(folder, ["customapi.xml", Requests, Responses], problems);
        var api = Load(folder + "/customapi.xml", problems, required: true);
        if (api is null)
        {
            return;
        }

        List<SourceDocument> Parts(string partsFolder, string file)
        {
            var parts = new List<SourceDocument>();
            foreach (var part in Folders(folder + "/" + partsFolder))
            {
                RefuseUnknown(part, [file], problems);
                AddIfLoaded(parts, part + "/" + file, problems);
            }

            return parts;
        }

        CustomApis.Add(new CustomApiSource(Path.GetFileName(folder), api,
            Parts(Requests, "customapirequestparameter.xml"), Parts(Responses, "customapiresponseproperty.xml")));
    }

    /// <summary>WebResources/**: every content file needs its &lt;file&gt;.data.xml and every .data.xml its content file.</summary>
    private void ReadWebResources(List<SourceProblem> problems)
    {
        if (!System.IO.Directory.Exists(Full(WebResourcesFolder)))
        {
            return;
        }

        var files = System.IO.Directory.EnumerateFiles(Full(WebResourcesFolder), "*", SearchOption.AllDirectories)
            .Select(Relative).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            if (file.EndsWith(".data.xml", StringComparison.OrdinalIgnoreCase))
            {
                var content = file[..^".data.xml".Length];
                if (!files.Contains(content, StringComparer.Ordinal))
                {
                    problems.Add(new SourceProblem(file, $"the web resource record has no content file '{content}' beside it"));
                    continue;
                }

                if (Load(file, problems, required: true) is { } data)
                {
                    WebResources.Add(new WebResourceSource(data, content));
                }
            }
            else if (!files.Contains(file + ".data.xml", StringComparer.Ordinal))
            {
                problems.Add(new SourceProblem(file, $"the file has no web resource record '{file}.data.xml' beside it, so the packer would not know how to pack it"));
            }
        }
    }

    private void ReadEntity(string folder, List<SourceProblem> problems)
    {
        RefuseUnknown(folder, KnownEntityEntries, problems);
        var entity = Load(folder + "/Entity.xml", problems, required: true);
        if (entity is null)
        {
            return;
        }

        var forms = new List<FormSource>();
        foreach (var typeFolder in Folders(folder + "/FormXml"))
        {
            foreach (var file in Files(typeFolder, "*.xml"))
            {
                var document = Load(file, problems, required: true);
                if (document is null)
                {
                    continue;
                }

                var stem = Path.GetFileNameWithoutExtension(file);
                var managed = stem.EndsWith("_managed", StringComparison.OrdinalIgnoreCase);
                var id = managed ? stem[..^"_managed".Length] : stem;
                forms.Add(new FormSource(Path.GetFileName(typeFolder), id, document, managed));
            }
        }

        var views = new List<SourceDocument>();
        foreach (var file in Files(folder + "/SavedQueries", "*.xml"))
        {
            AddIfLoaded(views, file, problems);
        }

        var charts = new List<SourceDocument>();
        foreach (var file in Files(folder + "/Visualizations", "*.xml"))
        {
            AddIfLoaded(charts, file, problems);
        }

        var ribbon = Load(folder + "/RibbonDiff.xml", problems, required: false);
        var formulas = System.IO.Directory.Exists(Full(folder + "/Formulas"))
            ? System.IO.Directory.EnumerateFileSystemEntries(Full(folder + "/Formulas")).Select(Relative).Order(StringComparer.Ordinal).ToList()
            : [];
        Entities.Add(new EntitySource(Path.GetFileName(folder), entity, forms, views, ribbon, formulas) { Visualizations = charts });
    }

    /// <summary>Adds a problem for every entry of the folder that is not one of the known names: nothing is dropped silently.</summary>
    private void RefuseUnknown(string folder, string[] known, List<SourceProblem> problems)
    {
        if (!System.IO.Directory.Exists(Full(folder)))
        {
            return;
        }

        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(Full(folder)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                problems.Add(new SourceProblem(Relative(entry), Unsupported(Relative(entry), name)));
            }
        }
    }

    private void AddIfLoaded(List<SourceDocument> target, string relative, List<SourceProblem> problems)
    {
        var document = Load(relative, problems, required: true);
        if (document is not null)
        {
            target.Add(document);
        }
    }

    private SourceDocument? Load(string relative, List<SourceProblem> problems, bool required)
    {
        var full = Full(relative);
        if (!File.Exists(full))
        {
            if (required)
            {
                problems.Add(new SourceProblem(relative, "required file is missing"));
            }

            return null;
        }

        try
        {
            var document = XDocument.Load(full, LoadOptions.SetLineInfo);
            if (document.Root is null)
            {
                problems.Add(new SourceProblem(relative, "the file has no root element", Kind: SourceProblemKind.Unreadable));
                return null;
            }

            return new SourceDocument(relative, document);
        }
        catch (XmlException ex)
        {
            problems.Add(new SourceProblem(relative, $"is not well-formed XML: {ex.Message}", ex.LineNumber > 0 ? ex.LineNumber : null, SourceProblemKind.Unreadable));
            return null;
        }
    }

    private IEnumerable<string> Folders(string relative)
    {
        var full = Full(relative);
        return System.IO.Directory.Exists(full)
            ? System.IO.Directory.EnumerateDirectories(full).Select(Relative).Order(StringComparer.Ordinal)
            : [];
    }

    private IEnumerable<string> Files(string relative, string pattern)
    {
        var full = Full(relative);
        return System.IO.Directory.Exists(full)
            ? System.IO.Directory.EnumerateFiles(full, pattern).Select(Relative).Order(StringComparer.Ordinal)
            : [];
    }

    private string Full(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    private string Relative(string full) => Path.GetRelativePath(Directory, full).Replace(Path.DirectorySeparatorChar, '/');
}
