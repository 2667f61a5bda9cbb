namespace PartnerGuard.Solution.Tests;

internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerGuard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PartnerGuard.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootLazy.Value;

    /// <summary>The committed, unpacked PartnerGuard solution.</summary>
    public static string SolutionSource => Path.Combine(Root, "solution", "src");

    /// <summary>The Plugins project's net10.0 build, copied next to the tests by the ProjectReference.</summary>
    public static string PluginsNet10Dll => Path.Combine(AppContext.BaseDirectory, "PartnerGuard.Plugins.dll");

    /// <summary>This strong-named test assembly, which declares the fixture plugins.</summary>
    public static string TestAssemblyDll => typeof(RepoPaths).Assembly.Location;
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pg-solution-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
