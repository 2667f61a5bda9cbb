using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace PartnerGuard.Packer;

public enum PackageFlavor
{
    Unmanaged,
    Managed,
}

public sealed record PackOptions
{
    /// <summary>The unpacked solution folder (the one holding Other/Solution.xml).</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>Where the zips are written; created when missing.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Built plugin assemblies, matched to PluginAssemblies/&lt;Name&gt;-&lt;GUID&gt;/ by file name. A DLL committed in that folder is used when none is given.</summary>
    public IReadOnlyList<string> PluginAssemblyPaths { get; init; } = [];

    /// <summary>
    /// Pack a plugin assembly built against the offline stand-in SDK (or for .NET instead of .NET Framework) anyway.
    /// For tests and offline builds only: the zips are named …_STANDIN-NOT-DEPLOYABLE.zip.
    /// </summary>
    public bool AllowNonDeployablePlugin { get; init; }

    /// <summary>
    /// Folders of C# source of the plug-in assemblies (e.g. Plugins/), checked against the plug-in best practices
    /// (BestPractices/PluginSourceChecks). None given: the code checks are not run, the registration checks still are.
    /// </summary>
    public IReadOnlyList<string> PluginSourceDirectories { get; init; } = [];

    public IReadOnlyList<PackageFlavor> Flavors { get; init; } = [PackageFlavor.Unmanaged, PackageFlavor.Managed];
}

public sealed record PackResult(IReadOnlyList<string> WrittenFiles, IReadOnlyList<string> Warnings, bool NotDeployable);

/// <summary>
/// Packs an unpacked solution folder into Dataverse solution zips: validates everything first, computes the
/// plugin identity strings from the built DLL, and writes byte-identical zips for identical input.
/// When anything is wrong it throws <see cref="SolutionPackException"/> and writes nothing.
/// </summary>
public static class SolutionPacker
{
    /// <summary>Every zip entry gets this timestamp, so that packing the same input twice gives the same bytes.</summary>
    public static readonly DateTimeOffset EntryTimestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static PackResult Pack(PackOptions options)
    {
        var problems = new List<SourceProblem>();
        var warnings = new List<string>();
        var source = SolutionSource.Read(options.SourceDirectory, problems);
        var assemblies = ResolveAssemblies(source, options, problems, warnings, out var notDeployable);
        new SolutionValidator(source, assemblies, problems).Validate();
        BestPractices.RegistrationChecks.Check(source, problems);
        BestPractices.PluginSourceChecks.Check(options.PluginSourceDirectories, problems);
        BestPractices.WebResourceChecks.Check(source, problems);
        if (problems.Count > 0)
        {
            throw new SolutionPackException(problems);
        }

        var manifest = source.Manifest!.Root.Element("SolutionManifest")!;
        var uniqueName = (string)manifest.Element("UniqueName")!;
        var version = (string)manifest.Element("Version")!;
        var packages = options.Flavors.Distinct().Select(flavor => (
            Name: SolutionRules.PackageFileName(uniqueName, version, flavor == PackageFlavor.Managed, notDeployable),
            Bytes: BuildZip(source, assemblies, flavor))).ToList();

        Directory.CreateDirectory(options.OutputDirectory);
        var written = new List<string>();
        foreach (var (name, bytes) in packages)
        {
            var path = Path.Combine(options.OutputDirectory, name);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }

        return new PackResult(written, warnings, notDeployable);
    }

    /// <summary>Builds one zip in memory (exposed for tests that compare bytes).</summary>
    internal static byte[] BuildZip(SolutionSource source, IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> assemblies, PackageFlavor flavor)
    {
        var entries = new List<(string Name, byte[] Bytes)>
        {
            ("customizations.xml", Serialize(BuildCustomizations(source, assemblies, flavor), declaration: false)),
            ("solution.xml", Serialize(BuildManifest(source, assemblies, flavor), declaration: false)),
        };

        var rest = new List<(string Name, byte[] Bytes)>();
        foreach (var assembly in source.PluginAssemblies)
        {
            rest.Add(($"{SolutionSource.PluginAssembliesFolder}/{assembly.FolderName}/{assembly.DllFileName}", assemblies[assembly].Bytes));
        }

        // Formula definitions of calculated and rollup columns: Entities/<Name>/Formulas/<file> is /Formulas/<file> in the zip,
        // where the column's <FormulaDefinitionFileName> points.
        foreach (var formula in source.Entities.SelectMany(e => e.Formulas))
        {
            rest.Add(("Formulas/" + Path.GetFileName(formula), File.ReadAllBytes(Path.Combine(source.Directory, formula.Replace('/', Path.DirectorySeparatorChar)))));
        }

        foreach (var variable in source.EnvironmentVariables)
        {
            foreach (var file in variable.Files)
            {
                rest.Add((file, File.ReadAllBytes(Path.Combine(source.Directory, file.Replace('/', Path.DirectorySeparatorChar)))));
            }
        }

        // Custom APIs are solution-aware tables: their folders travel verbatim, as environment variables do.
        foreach (var file in source.CustomApis.SelectMany(api => api.Files))
        {
            rest.Add((file, File.ReadAllBytes(Path.Combine(source.Directory, file.Replace('/', Path.DirectorySeparatorChar)))));
        }

        foreach (var webResource in source.WebResources)
        {
            rest.Add((SolutionRules.WebResourcePart(webResource), File.ReadAllBytes(Path.Combine(source.Directory, webResource.ContentPath.Replace('/', Path.DirectorySeparatorChar)))));
        }

        entries.AddRange(rest.OrderBy(e => e.Name, StringComparer.Ordinal));
        entries.Add(("[Content_Types].xml", ContentTypes(entries.Select(e => e.Name))));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTimestamp;
                using var stream = entry.Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    private static Dictionary<PluginAssemblySource, PluginAssemblyMetadata> ResolveAssemblies(
        SolutionSource source, PackOptions options, List<SourceProblem> problems, List<string> warnings, out bool notDeployable)
    {
        notDeployable = false;
        var given = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in options.PluginAssemblyPaths)
        {
            if (!File.Exists(path))
            {
                problems.Add(new SourceProblem(path, "the plugin assembly given to the packer does not exist; build it first"));
                continue;
            }

            if (!given.TryAdd(Path.GetFileName(path), Path.GetFullPath(path)))
            {
                problems.Add(new SourceProblem(path, $"two plugin assemblies named {Path.GetFileName(path)} were given"));
            }
        }

        var result = new Dictionary<PluginAssemblySource, PluginAssemblyMetadata>();
        foreach (var assembly in source.PluginAssemblies)
        {
            var folder = $"{SolutionSource.PluginAssembliesFolder}/{assembly.FolderName}";
            var path = given.GetValueOrDefault(assembly.DllFileName) ?? assembly.DllPathInSource;
            given.Remove(assembly.DllFileName);
            if (path is null)
            {
                problems.Add(new SourceProblem(folder, $"no built {assembly.DllFileName} was given to the packer and none is in the folder"));
                continue;
            }

            PluginAssemblyMetadata metadata;
            try
            {
                metadata = PluginAssemblyMetadata.Read(path);
            }
            catch (BadImageFormatException ex)
            {
                problems.Add(new SourceProblem(path, $"cannot be read as a .NET assembly: {ex.Message}"));
                continue;
            }

            result[assembly] = metadata;
            if (!metadata.IsStrongNameSigned)
            {
                problems.Add(new SourceProblem(path, "the plugin assembly is not strong-name signed; Dataverse requires a signed plugin assembly"));
            }

            var deployIssues = new List<string>();
            if (metadata.ReferencesStandInSdk || !metadata.ReferencesOfficialSdk)
            {
                deployIssues.Add(
                    $"{assembly.DllFileName} was built against the offline SDK stand-in ({PluginAssemblyMetadata.StandInSdkAssembly}), not the official "
                    + $"{PluginAssemblyMetadata.OfficialSdkAssembly}, so Dataverse cannot load it. Build the deployable solution with "
                    + "`dotnet build solution -c Release -p:XrmSdk=Package` (official NuGet packages) or "
                    + "`dotnet build solution -c Release -p:XrmSdk=Assemblies -p:XrmSdkAssemblyDirectory=DIR` (a folder holding "
                    + "Microsoft.Xrm.Sdk.dll and Microsoft.Crm.Sdk.Proxy.dll)");
            }

            if (!metadata.TargetsNetFramework)
            {
                deployIssues.Add($"{assembly.DllFileName} targets .NET, not .NET Framework; Dataverse runs plugin assemblies built for net462");
            }

            foreach (var issue in deployIssues)
            {
                if (options.AllowNonDeployablePlugin)
                {
                    notDeployable = true;
                    warnings.Add($"{path}: NOT DEPLOYABLE: {issue}.");
                }
                else
                {
                    problems.Add(new SourceProblem(path, issue + "."));
                }
            }
        }

        foreach (var unused in given.Values)
        {
            problems.Add(new SourceProblem(unused, "no PluginAssemblies/<Name>-<GUID>/ folder of the solution matches this assembly's file name"));
        }

        return result;
    }

    private static XDocument BuildManifest(SolutionSource source, IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> assemblies, PackageFlavor flavor)
    {
        var document = new XDocument(source.Manifest!.Document);
        var manifest = document.Root!.Element("SolutionManifest")!;
        manifest.Element("Managed")!.Value = flavor == PackageFlavor.Managed ? "1" : "0";
        foreach (var root in manifest.Element("RootComponents")!.Elements("RootComponent").Where(r => (string?)r.Attribute("type") == "91"))
        {
            var id = SourceIds.NormalizeId((string?)root.Attribute("id"));
            var assembly = source.PluginAssemblies.First(a => SourceIds.NormalizeId((string?)a.Data.Root.Attribute("PluginAssemblyId")) == id);
            root.SetAttributeValue("schemaName", assemblies[assembly].FullName);
        }

        return document;
    }

    private static XDocument BuildCustomizations(SolutionSource source, IReadOnlyDictionary<PluginAssemblySource, PluginAssemblyMetadata> assemblies, PackageFlavor flavor)
    {
        var document = new XDocument(source.Customizations!.Document);
        var root = document.Root!;
        var problems = new List<SourceProblem>();

        Fill(root, "Entities", source.Entities.OrderBy(e => e.LogicalName, StringComparer.Ordinal).Select(e => BuildEntity(e, flavor)), source.Entities.Count, problems);
        Fill(root, "Roles", source.Roles.Select(r => Fragment(r.Root)).OrderBy(r => (string?)r.Attribute("name"), StringComparer.Ordinal), source.Roles.Count, problems);
        var relationships = source.Relationships.Select(Fragment).OrderBy(r => (string?)r.Attribute("Name"), StringComparer.Ordinal).ToList();
        Fill(root, "EntityRelationships", relationships, relationships.Count, problems);
        FillFrom(root, source.EntityMaps, "EntityMaps", problems);
        FillFrom(root, source.FieldSecurityProfiles, "FieldSecurityProfiles", problems);
        Fill(root, "optionsets", source.OptionSets.Select(o => Fragment(o.Root)).OrderBy(o => (string?)o.Attribute("Name"), StringComparer.Ordinal), source.OptionSets.Count, problems);
        Fill(root, "WebResources", source.WebResources.OrderBy(w => w.Name, StringComparer.Ordinal).Select(BuildWebResource), source.WebResources.Count, problems);
        Fill(root, "Dashboards", source.Dashboards.Select(d => Fragment(d.Root)).OrderBy(d => SourceIds.NormalizeId((string?)d.Element("FormId")), StringComparer.Ordinal), source.Dashboards.Count, problems);
        Fill(root, "AppModuleSiteMaps", source.AppModuleSiteMaps.Select(m => Fragment(m.Root)).OrderBy(m => (string?)m.Element("SiteMapUniqueName"), StringComparer.Ordinal), source.AppModuleSiteMaps.Count, problems);
        Fill(root, "AppModules", source.AppModules.Select(a => Fragment(a.Root)).OrderBy(a => (string?)a.Element("UniqueName"), StringComparer.Ordinal), source.AppModules.Count, problems);
        Fill(root, "SolutionPluginAssemblies",
            source.PluginAssemblies.OrderBy(a => a.FolderName, StringComparer.Ordinal).Select(a => BuildAssembly(a, assemblies[a])),
            source.PluginAssemblies.Count, problems);
        var types = source.PluginAssemblies
            .SelectMany(a => (a.Data.Root.Element("PluginTypes")?.Elements("PluginType") ?? []).Select(t => (Id: SourceIds.NormalizeId((string?)t.Attribute("PluginTypeId")), Type: t, Metadata: assemblies[a])))
            .ToDictionary(t => t.Id!, t => t);
        Fill(root, "SdkMessageProcessingSteps",
            source.Steps.OrderBy(s => SourceIds.NormalizeId((string?)s.Root.Attribute("SdkMessageProcessingStepId")), StringComparer.Ordinal)
                .Select(s => BuildStep(s, types)),
            source.Steps.Count, problems);
        if (problems.Count > 0)
        {
            throw new SolutionPackException(problems);
        }

        if (root.Attribute(XNamespace.Xmlns + "xsi") is null)
        {
            root.SetAttributeValue(XNamespace.Xmlns + "xsi", Xsi.NamespaceName);
        }

        return document;
    }

    private static void Fill(XElement root, string section, IEnumerable<XElement> children, int count, List<SourceProblem> problems)
    {
        if (count == 0)
        {
            return;
        }

        var element = root.Element(section);
        if (element is null)
        {
            problems.Add(new SourceProblem("Other/Customizations.xml", $"has no <{section}> section, but the solution has components that belong in it"));
            return;
        }

        element.RemoveNodes();
        element.Add(children);
    }

    /// <summary>Other/EntityMaps.xml and Other/FieldSecurityProfiles.xml hold their section whole: its children replace the skeleton's.</summary>
    private static void FillFrom(XElement root, SourceDocument? document, string section, List<SourceProblem> problems)
    {
        if (document is null)
        {
            return;
        }

        var children = document.Root.Elements().Select(Fragment).ToList();
        Fill(root, section, children, children.Count, problems);
    }

    private static XElement BuildEntity(EntitySource entity, PackageFlavor flavor)
    {
        var element = Fragment(entity.Entity.Root);
        if (element.Element("FormXml") is { } formXml && entity.Forms.Count > 0)
        {
            formXml.RemoveNodes();
            var chosen = entity.Forms
                .GroupBy(f => (f.FormType, Id: SourceIds.NormalizeId(f.FormId)))
                .Select(g => g.FirstOrDefault(f => f.IsManagedVariant == (flavor == PackageFlavor.Managed)) ?? g.First(f => !f.IsManagedVariant));
            foreach (var byType in chosen.GroupBy(f => f.FormType).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                formXml.Add(new XElement("forms", new XAttribute("type", byType.Key),
                    byType.OrderBy(f => SourceIds.NormalizeId(f.FormId), StringComparer.Ordinal)
                        .SelectMany(f => f.Document.Root.Elements("systemform")).Select(Fragment)));
            }
        }

        if (element.Element("SavedQueries") is { } savedQueries && entity.SavedQueries.Count > 0)
        {
            savedQueries.RemoveNodes();
            savedQueries.Add(new XElement("savedqueries",
                entity.SavedQueries.SelectMany(v => v.Root.Elements("savedquery"))
                    .OrderBy(q => SourceIds.NormalizeId((string?)q.Element("savedqueryid")), StringComparer.Ordinal)
                    .Select(Fragment)));
        }

        if (element.Element("Visualizations") is { } visualizations && entity.Visualizations.Count > 0)
        {
            visualizations.RemoveNodes();
            visualizations.Add(entity.Visualizations.Select(v => v.Root)
                .OrderBy(v => SourceIds.NormalizeId((string?)v.Element("savedqueryvisualizationid")), StringComparer.Ordinal)
                .Select(Fragment));
        }

        if (element.Element("RibbonDiffXml") is { } ribbon && entity.RibbonDiff is { } ribbonDiff)
        {
            ribbon.ReplaceWith(Fragment(ribbonDiff.Root));
        }

        return element;
    }

    /// <summary>The record as customizations.xml holds it: its FileName points at the extension-less part in the zip.</summary>
    private static XElement BuildWebResource(WebResourceSource webResource)
    {
        var element = Fragment(webResource.Data.Root);
        element.SetElementValue("FileName", "/" + SolutionRules.WebResourcePart(webResource));
        return element;
    }

    private static XElement BuildAssembly(PluginAssemblySource assembly, PluginAssemblyMetadata metadata)
    {
        var element = Fragment(assembly.Data.Root);
        element.SetAttributeValue("FullName", metadata.FullName);
        foreach (var type in element.Element("PluginTypes")?.Elements("PluginType") ?? [])
        {
            type.SetAttributeValue("AssemblyQualifiedName", $"{(string?)type.Attribute("Name")}, {metadata.FullName}");
        }

        return element;
    }

    private static XElement BuildStep(SourceDocument step, Dictionary<string, (string? Id, XElement Type, PluginAssemblyMetadata Metadata)> types)
    {
        var element = Fragment(step.Root);
        var type = types[SourceIds.NormalizeId((string?)element.Element("PluginTypeId"))!];
        element.Element("PluginTypeName")!.Value = $"{(string?)type.Type.Attribute("Name")}, {type.Metadata.FullName}";
        return element;
    }

    /// <summary>A copy of a source file's root element without its own namespace declarations (the document root declares xsi).</summary>
    private static XElement Fragment(XElement element)
    {
        var copy = new XElement(element);
        copy.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return copy;
    }

    private static byte[] ContentTypes(IEnumerable<string> names)
    {
        XNamespace ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        var list = names.ToList();
        var extensions = list.Select(n => Path.GetExtension(n).TrimStart('.')).Where(e => e.Length > 0)
            .Append("xml").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var document = new XDocument(new XElement(ns + "Types",
            extensions.Select(e => new XElement(ns + "Default", new XAttribute("Extension", e), new XAttribute("ContentType", "application/octet-stream"))),
            list.Where(n => Path.GetExtension(n).Length == 0).Order(StringComparer.Ordinal)
                .Select(n => new XElement(ns + "Override", new XAttribute("PartName", "/" + n), new XAttribute("ContentType", "application/octet-stream")))));
        return Serialize(document, declaration: true);
    }

    /// <summary>
    /// Writes XML the way Dataverse exports it: UTF-8, CRLF, two-space indent; solution.xml and customizations.xml
    /// without an XML declaration, [Content_Types].xml with declaration and byte order mark.
    /// </summary>
    private static byte[] Serialize(XDocument document, bool declaration)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: declaration),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\r\n",
            NewLineHandling = NewLineHandling.Replace,
            OmitXmlDeclaration = !declaration,
        };
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            document.Root!.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
