using System.IO.Compression;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>A root component as listed in solution.xml.</summary>
public sealed record RootComponent(int Type, string? SchemaName, string? Id, string? Behavior);

/// <summary>
/// A packed solution zip read back: the manifest, customizations and the other entries. Used to check that what the
/// packer wrote says the same as the source (round trip) and that every root component resolves inside the zip.
/// </summary>
public sealed class SolutionPackage
{
    private SolutionPackage(IReadOnlyList<string> entryNames, XDocument manifest, XDocument customizations, IReadOnlyDictionary<string, byte[]> entries)
    {
        EntryNames = entryNames;
        Manifest = manifest;
        Customizations = customizations;
        Entries = entries;
    }

    /// <summary>Entry names in zip order.</summary>
    public IReadOnlyList<string> EntryNames { get; }
    public XDocument Manifest { get; }
    public XDocument Customizations { get; }
    public IReadOnlyDictionary<string, byte[]> Entries { get; }

    public XElement SolutionManifest => Manifest.Root!.Element("SolutionManifest")!;
    public string UniqueName => (string)SolutionManifest.Element("UniqueName")!;
    public string Version => (string)SolutionManifest.Element("Version")!;
    public string Managed => (string)SolutionManifest.Element("Managed")!;

    public IReadOnlyList<RootComponent> RootComponents =>
        SolutionManifest.Element("RootComponents")?.Elements("RootComponent")
            .Select(r => new RootComponent(
                (int)r.Attribute("type")!,
                (string?)r.Attribute("schemaName"),
                SourceIds.NormalizeId((string?)r.Attribute("id")),
                (string?)r.Attribute("behavior")))
            .ToList() ?? [];

    public IEnumerable<XElement> Entities => Section("Entities").Elements("Entity");
    public IEnumerable<XElement> Roles => Section("Roles").Elements("Role");
    public IEnumerable<XElement> Relationships => Section("EntityRelationships").Elements("EntityRelationship");
    public IEnumerable<XElement> OptionSets => Section("optionsets").Elements("optionset");
    public IEnumerable<XElement> PluginAssemblies => Section("SolutionPluginAssemblies").Elements("PluginAssembly");
    public IEnumerable<XElement> Steps => Section("SdkMessageProcessingSteps").Elements("SdkMessageProcessingStep");
    public IEnumerable<XElement> Dashboards => Section("Dashboards").Elements("Dashboard");
    public IEnumerable<XElement> AppModuleSiteMaps => Section("AppModuleSiteMaps").Elements("AppModuleSiteMap");
    public IEnumerable<XElement> AppModules => Section("AppModules").Elements("AppModule");
    public IEnumerable<XElement> WebResources => Section("WebResources").Elements("WebResource");
    public IEnumerable<XElement> Forms => Entities.SelectMany(e => e.Descendants("systemform"));

    /// <summary>The Custom APIs in the package: the unique names of its customapis/&lt;name&gt;/customapi.xml entries.</summary>
    public IEnumerable<string> CustomApis => EntryNames
        .Where(n => n.StartsWith(SolutionSource.CustomApisFolder + "/", StringComparison.Ordinal) && n.EndsWith("/customapi.xml", StringComparison.Ordinal))
        .Select(n => n.Split('/')[1]);

    private XElement Section(string name) => Customizations.Root!.Element(name) ?? new XElement(name);

    public static SolutionPackage Read(string zipPath)
    {
        using var stream = File.OpenRead(zipPath);
        return Read(stream);
    }

    public static SolutionPackage Read(Stream zipStream)
    {
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read, leaveOpen: true);
        var names = new List<string>();
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            names.Add(entry.FullName);
            using var content = entry.Open();
            using var copy = new MemoryStream();
            content.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }

        XDocument Load(string name) => entries.TryGetValue(name, out var bytes)
            ? XDocument.Load(new MemoryStream(bytes))
            : throw new InvalidDataException($"{zipPath(zipStream)} has no {name} at its root.");

        return new SolutionPackage(names, Load("solution.xml"), Load("customizations.xml"), entries);
    }

    private static string zipPath(Stream stream) => stream is FileStream file ? file.Name : "the solution zip";

    /// <summary>
    /// Root components that do not resolve to a definition inside this package, each described in a sentence.
    /// An empty list means every root component resolves.
    /// </summary>
    public IReadOnlyList<string> UnresolvedRootComponents()
    {
        var problems = new List<string>();
        foreach (var root in RootComponents)
        {
            var resolved = root.Type switch
            {
                1 => Entities.Any(e => string.Equals((string?)e.Element("Name"), root.SchemaName, StringComparison.OrdinalIgnoreCase)),
                9 => OptionSets.Any(o => string.Equals((string?)o.Attribute("Name"), root.SchemaName, StringComparison.OrdinalIgnoreCase)),
                20 => Roles.Any(r => SourceIds.NormalizeId((string?)r.Attribute("id")) == root.Id),
                91 => PluginAssemblies.Any(a => SourceIds.NormalizeId((string?)a.Attribute("PluginAssemblyId")) == root.Id
                                               && (string?)a.Attribute("FullName") == root.SchemaName
                                               && Entries.ContainsKey(((string?)a.Element("FileName") ?? "").TrimStart('/'))),
                92 => Steps.Any(s => SourceIds.NormalizeId((string?)s.Attribute("SdkMessageProcessingStepId")) == root.Id),
                26 => Entities.SelectMany(e => e.Descendants("savedquery")).Any(q => SourceIds.NormalizeId((string?)q.Element("savedqueryid")) == root.Id),
                59 => Entities.SelectMany(e => e.Descendants("visualization")).Any(v => SourceIds.NormalizeId((string?)v.Element("savedqueryvisualizationid")) == root.Id),
                60 => Forms.Any(f => SourceIds.NormalizeId((string?)f.Element("formid")) == root.Id)
                      || Dashboards.Any(d => SourceIds.NormalizeId((string?)d.Element("FormId")) == root.Id),
                61 => WebResources.Any(w => (string?)w.Element("Name") == root.SchemaName
                                            && Entries.ContainsKey(((string?)w.Element("FileName") ?? "").TrimStart('/'))),
                62 => AppModuleSiteMaps.Any(m => (string?)m.Element("SiteMapUniqueName") == root.SchemaName),
                80 => AppModules.Any(a => (string?)a.Element("UniqueName") == root.SchemaName),
                380 => Entries.ContainsKey($"{SolutionSource.EnvironmentVariablesFolder}/{root.SchemaName}/environmentvariabledefinition.xml"),
                _ => false,
            };
            if (!resolved)
            {
                problems.Add($"root component type {root.Type} ({root.SchemaName ?? root.Id}) has no definition in the package");
            }
        }

        return problems;
    }
}
