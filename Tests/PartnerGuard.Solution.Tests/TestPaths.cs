namespace PartnerGuard.Solution.Tests;

/// <summary>The assemblies these tests pack (the repository's own paths come from PartnerGuard.Testing.RepoPaths).</summary>
internal static class TestPaths
{
    /// <summary>The Plugins project's net10.0 build, copied next to the tests by the ProjectReference.</summary>
    public static string PluginsNet10Dll => Path.Combine(AppContext.BaseDirectory, "PartnerGuard.Plugins.dll");

    /// <summary>This strong-named test assembly, which declares the fixture plugins.</summary>
    public static string TestAssemblyDll => typeof(TestPaths).Assembly.Location;
}
