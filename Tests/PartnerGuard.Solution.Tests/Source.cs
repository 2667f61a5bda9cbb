using System.Xml.Linq;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// Small read helpers over the committed solution/src, read once by the model the packer and the emulator use
/// (<see cref="SolutionSource"/>), so the tests read like the facts they check.
/// </summary>
internal static class Source
{
    private static readonly Lazy<SolutionSource> Read = new(() =>
    {
        var problems = new List<SourceProblem>();
        var source = SolutionSource.Read(RepoPaths.SolutionSource, problems);
        return problems.Count == 0 ? source : throw new Xunit.Sdk.XunitException(string.Join(Environment.NewLine, problems));
    });

    public static SolutionSource Solution => Read.Value;

    /// <summary>A file of the source by its relative path, e.g. "OptionSets/pg_channel.xml".</summary>
    public static XDocument Load(string relative) =>
        (Solution.Manifest is { } m && m.RelativePath == relative ? m
         : Solution.OptionSets.SingleOrDefault(o => o.RelativePath == relative)
         ?? throw new Xunit.Sdk.XunitException($"solution/src has no {relative} among the files the tests read.")).Document;

    public static XElement Manifest => Solution.Manifest!.Root.Element("SolutionManifest")!;

    public static XElement Entity(string folder) =>
        (Solution.Entities.SingleOrDefault(e => e.FolderName == folder)
         ?? throw new Xunit.Sdk.XunitException($"solution/src has no Entities/{folder}/Entity.xml.")).Entity.Root;

    public static XElement Attribute(string entityFolder, string logicalName) =>
        Entity(entityFolder).Descendants("attribute").SingleOrDefault(a => (string?)a.Element("LogicalName") == logicalName)
        ?? throw new Xunit.Sdk.XunitException($"Entities/{entityFolder}/Entity.xml has no column '{logicalName}'.");

    public static IEnumerable<XElement> Relationships => Solution.Relationships;

    public static IEnumerable<(string File, XElement Step)> Steps =>
        Solution.Steps.Select(s => (Path.GetFileName(s.RelativePath), s.Root));

    public static XElement PluginAssemblyData => Solution.PluginAssemblies.Single().Data.Root;

    public static XElement Role(string name) =>
        Solution.Roles.Single(r => r.RelativePath == $"{SolutionSource.RolesFolder}/{name}.xml").Root;

    public static XElement EnvironmentVariable(string schemaName) =>
        Solution.EnvironmentVariables.Single(v => v.FolderName == schemaName).Definition.Root;

    public static IReadOnlyList<(int Value, string Label)> Options(XElement optionSet) =>
        optionSet.Element("options")!.Elements("option")
            .Select(o => ((int)o.Attribute("value")!, (string)o.Descendants("label").First().Attribute("description")!))
            .ToList();
}
