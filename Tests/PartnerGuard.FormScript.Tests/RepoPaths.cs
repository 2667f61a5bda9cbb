namespace PartnerGuard.FormScript.Tests;

/// <summary>Where the harness and the web resources sit in the checkout.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PartnerGuard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The form script tests run from inside a PartnerGuard checkout (PartnerGuard.sln not found).");
    });

    public static string Harness => Path.Combine(Root.Value, "Tests", "PartnerGuard.FormScript.Tests", "Harness");

    /// <summary>The web resources as SolutionPackager lays them out (solution/src/WebResources).</summary>
    public static string WebResources => Path.Combine(Root.Value, "solution", "src", "WebResources");

    /// <summary>The unpacked solution the emulator loads (solution/src).</summary>
    public static string SolutionSource => Path.Combine(Root.Value, "solution", "src");

    /// <summary>xrm-mock bundled for the browser; missing means `npm ci && npm run build` has not run in Harness/.</summary>
    public static string XrmMockBundle()
    {
        var bundle = Path.Combine(Harness, "build", "xrm-mock.js");
        Assert.True(File.Exists(bundle),
            "The form script tests load xrm-mock in the browser and its bundle is missing: run `npm ci && npm run build` in "
            + Harness + " (.ci/run does this).");
        return bundle;
    }
}
