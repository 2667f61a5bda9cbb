using System.Xml.Linq;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests.Fixtures;

/// <summary>
/// A copy of solution/src whose plugin assembly is this test assembly (with the fixture plugin classes), so the
/// packer can be exercised on the real solution content independently of the product plugins' progress.
/// </summary>
internal sealed class SolutionFixture : IDisposable
{
    public const string AssemblyName = "PartnerGuard.Solution.Tests";
    private const string ProductAssembly = "PartnerGuard.Plugins";
    private const string ProductNamespace = "PartnerGuard.Plugins.";
    private const string FixtureNamespace = "PartnerGuard.Solution.Tests.Fixtures.";

    private readonly TempDirectory _temp = new();

    public SolutionFixture()
    {
        Source = _temp.File("src");
        Output = _temp.File("out");
        Copy(RepoPaths.SolutionSource, Source);

        var assemblies = Path.Combine(Source, "PluginAssemblies");
        var productFolder = Directory.GetDirectories(assemblies).Single();
        var folderName = Path.GetFileName(productFolder).Replace(ProductAssembly, AssemblyName, StringComparison.Ordinal);
        var fixtureFolder = Path.Combine(assemblies, folderName);
        Directory.Move(productFolder, fixtureFolder);
        var data = Path.Combine(fixtureFolder, ProductAssembly + ".dll.data.xml");
        var fixtureData = Path.Combine(fixtureFolder, AssemblyName + ".dll.data.xml");
        File.Move(data, fixtureData);
        Rewrite(fixtureData);
        foreach (var step in Directory.GetFiles(Path.Combine(Source, "SdkMessageProcessingSteps")))
        {
            Rewrite(step);
        }

        PluginFolder = fixtureFolder;
    }

    /// <summary>The fixture source folder (a full copy of solution/src).</summary>
    public string Source { get; }

    /// <summary>An empty output folder.</summary>
    public string Output { get; }

    public string PluginFolder { get; }

    public string At(string relative) => System.IO.Path.Combine(Source, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public PartnerGuard.Packer.PackOptions Options(bool allowStandIn = true, string? output = null) => new()
    {
        SourceDirectory = Source,
        OutputDirectory = output ?? Output,
        PluginAssemblyPaths = [TestPaths.TestAssemblyDll],
        AllowNonDeployablePlugin = allowStandIn,
    };

    /// <summary>Edits an XML file of the fixture in place.</summary>
    public void Edit(string relative, Action<XDocument> edit)
    {
        var path = At(relative);
        var document = XDocument.Load(path);
        edit(document);
        document.Save(path);
    }

    public string StepFile(string message, string entity) =>
        Directory.GetFiles(At("SdkMessageProcessingSteps"))
            .Single(f => XDocument.Load(f).Root!.Attribute("Name")!.Value.EndsWith($": {message} of {entity}", StringComparison.Ordinal));

    public void Dispose() => _temp.Dispose();

    private static void Rewrite(string file)
    {
        var text = File.ReadAllText(file)
            .Replace(ProductAssembly + ".dll", AssemblyName + ".dll", StringComparison.Ordinal)
            .Replace(ProductNamespace, FixtureNamespace, StringComparison.Ordinal)
            .Replace(ProductAssembly + ",", AssemblyName + ",", StringComparison.Ordinal)
            .Replace(ProductAssembly + "-", AssemblyName + "-", StringComparison.Ordinal);
        File.WriteAllText(file, text);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, System.IO.Path.Combine(to, System.IO.Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, System.IO.Path.Combine(to, System.IO.Path.GetFileName(dir)));
        }
    }
}
