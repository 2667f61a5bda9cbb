using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>An XML file of the source folder, parsed, with its path relative to the folder (forward slashes).</summary>
public sealed record SourceDocument(string RelativePath, XDocument Document)
{
    public XElement Root => Document.Root!;
}

public sealed record FormSource(string FormType, string FormId, SourceDocument Document, bool IsManagedVariant);

public sealed record EntitySource(
    string FolderName,
    SourceDocument Entity,
    IReadOnlyList<FormSource> Forms,
    IReadOnlyList<SourceDocument> SavedQueries,
    SourceDocument? RibbonDiff)
{
    /// <summary>The entity's name as written in Entity.xml (schema-name casing).</summary>
    public string SchemaName => (string?)Entity.Root.Element("Name") ?? FolderName;

    public string LogicalName => SchemaName.ToLowerInvariant();

    /// <summary>The &lt;entity&gt; element holding the attributes.</summary>
    public XElement? Info => Entity.Root.Element("EntityInfo")?.Element("entity");

    public IEnumerable<XElement> Attributes => Info?.Element("attributes")?.Elements("attribute") ?? [];

    /// <summary>A table defined by this solution (it has a primary key); otherwise a shell of an existing table.</summary>
    public bool IsDefinedHere => Attributes.Any(a => (string?)a.Element("Type") == "primarykey");

    public XElement? FindAttribute(string logicalName) =>
        Attributes.FirstOrDefault(a => string.Equals(AttributeLogicalName(a), logicalName, StringComparison.OrdinalIgnoreCase));

    public static string AttributeLogicalName(XElement attribute) =>
        ((string?)attribute.Element("LogicalName") ?? (string?)attribute.Attribute("PhysicalName") ?? "").ToLowerInvariant();
}

public sealed record PluginAssemblySource(string FolderName, SourceDocument Data, string? DllPathInSource)
{
    /// <summary>The assembly's simple name, from the folder name &lt;Name&gt;-&lt;GUID&gt;.</summary>
    public string Name => FolderName.Length > 37 ? FolderName[..^37] : FolderName;

    public string FolderId => FolderName.Length > 37 ? FolderName[^36..] : "";

    public string DllFileName => Name + ".dll";
}

public sealed record EnvironmentVariableSource(string FolderName, SourceDocument Definition, IReadOnlyList<string> Files);

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

    private static readonly string[] KnownFolders =
        [OtherFolder, EntitiesFolder, OptionSetsFolder, RolesFolder, PluginAssembliesFolder, StepsFolder, EnvironmentVariablesFolder];

    private SolutionSource(string directory) => Directory = directory;

    public string Directory { get; }
    public SourceDocument? Manifest { get; private set; }
    public SourceDocument? Customizations { get; private set; }
    public SourceDocument? RelationshipIndex { get; private set; }
    public List<SourceDocument> RelationshipFiles { get; } = [];
    public List<EntitySource> Entities { get; } = [];
    public List<SourceDocument> OptionSets { get; } = [];
    public List<SourceDocument> Roles { get; } = [];
    public List<PluginAssemblySource> PluginAssemblies { get; } = [];
    public List<SourceDocument> Steps { get; } = [];
    public List<EnvironmentVariableSource> EnvironmentVariables { get; } = [];

    public IEnumerable<XElement> Relationships =>
        RelationshipFiles.SelectMany(f => f.Root.Elements("EntityRelationship"));

    public EntitySource? FindEntity(string name) =>
        Entities.FirstOrDefault(e => string.Equals(e.LogicalName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the folder. Problems (unreadable XML, unknown folders, missing required files) are added to <paramref name="problems"/>.</summary>
    public static SolutionSource Read(string directory, List<PackProblem> problems)
    {
        var source = new SolutionSource(Path.GetFullPath(directory));
        if (!System.IO.Directory.Exists(source.Directory))
        {
            problems.Add(new PackProblem(directory, "the solution source folder does not exist"));
            return source;
        }

        foreach (var entry in System.IO.Directory.EnumerateFileSystemEntries(source.Directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (System.IO.Directory.Exists(entry) && KnownFolders.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            problems.Add(new PackProblem(name, System.IO.Directory.Exists(entry)
                ? $"the packer does not know the component folder '{name}' (it packs {string.Join(", ", KnownFolders)})"
                : "a file at the top of the solution source is not part of any component; move or remove it"));
        }

        source.Manifest = source.Load("Other/Solution.xml", problems, required: true);
        source.Customizations = source.Load("Other/Customizations.xml", problems, required: true);
        source.RelationshipIndex = source.Load("Other/Relationships.xml", problems, required: false);
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
                problems.Add(new PackProblem(folder, $"a plugin assembly folder must hold exactly one <Name>.dll.data.xml file; found {dataFiles.Count}"));
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

        return source;
    }

    private void ReadEntity(string folder, List<PackProblem> problems)
    {
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

        var ribbon = Load(folder + "/RibbonDiff.xml", problems, required: false);
        Entities.Add(new EntitySource(Path.GetFileName(folder), entity, forms, views, ribbon));
    }

    private void AddIfLoaded(List<SourceDocument> target, string relative, List<PackProblem> problems)
    {
        var document = Load(relative, problems, required: true);
        if (document is not null)
        {
            target.Add(document);
        }
    }

    private SourceDocument? Load(string relative, List<PackProblem> problems, bool required)
    {
        var full = Full(relative);
        if (!File.Exists(full))
        {
            if (required)
            {
                problems.Add(new PackProblem(relative, "required file is missing"));
            }

            return null;
        }

        try
        {
            var document = XDocument.Load(full, LoadOptions.SetLineInfo);
            if (document.Root is null)
            {
                problems.Add(new PackProblem(relative, "the file has no root element"));
                return null;
            }

            return new SourceDocument(relative, document);
        }
        catch (XmlException ex)
        {
            problems.Add(new PackProblem(relative, $"is not well-formed XML: {ex.Message}"));
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
