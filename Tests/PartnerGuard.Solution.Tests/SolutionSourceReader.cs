using System.Xml.Linq;

namespace PartnerGuard.Solution.Tests;

/// <summary>Small read helpers over the committed solution/src, so the tests read like the facts they check.</summary>
internal static class Source
{
    public static XDocument Load(string relative) =>
        XDocument.Load(Path.Combine(RepoPaths.SolutionSource, relative.Replace('/', Path.DirectorySeparatorChar)));

    public static XElement Manifest => Load("Other/Solution.xml").Root!.Element("SolutionManifest")!;

    public static XElement Entity(string folder) => Load($"Entities/{folder}/Entity.xml").Root!;

    public static XElement Attribute(string entityFolder, string logicalName) =>
        Entity(entityFolder).Descendants("attribute").SingleOrDefault(a => (string?)a.Element("LogicalName") == logicalName)
        ?? throw new Xunit.Sdk.XunitException($"Entities/{entityFolder}/Entity.xml has no column '{logicalName}'.");

    public static IEnumerable<XElement> Relationships =>
        Directory.GetFiles(Path.Combine(RepoPaths.SolutionSource, "Other", "Relationships"), "*.xml")
            .SelectMany(f => XDocument.Load(f).Root!.Elements("EntityRelationship"));

    public static IEnumerable<(string File, XElement Step)> Steps =>
        Directory.GetFiles(Path.Combine(RepoPaths.SolutionSource, "SdkMessageProcessingSteps"), "*.xml")
            .Select(f => (Path.GetFileName(f), XDocument.Load(f).Root!));

    public static XElement PluginAssemblyData =>
        XDocument.Load(Directory.GetFiles(Path.Combine(RepoPaths.SolutionSource, "PluginAssemblies"), "*.dll.data.xml", SearchOption.AllDirectories).Single()).Root!;

    public static XElement Role(string name) => Load($"Roles/{name}.xml").Root!;

    public static XElement EnvironmentVariable(string schemaName) =>
        Load($"environmentvariabledefinitions/{schemaName}/environmentvariabledefinition.xml").Root!;

    public static IReadOnlyList<(int Value, string Label)> Options(XElement optionSet) =>
        optionSet.Element("options")!.Elements("option")
            .Select(o => ((int)o.Attribute("value")!, (string)o.Descendants("label").First().Attribute("description")!))
            .ToList();
}
