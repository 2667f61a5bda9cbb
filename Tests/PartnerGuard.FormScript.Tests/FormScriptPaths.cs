namespace PartnerGuard.FormScript.Tests;

/// <summary>Where the harness and the web resources sit in the checkout (the root comes from the test kit's RepoPaths).</summary>
internal static class FormScriptPaths
{
    public static string Harness => Path.Combine(PartnerGuard.Testing.RepoPaths.Root, "Tests", "PartnerGuard.FormScript.Tests", "Harness");

    /// <summary>The web resources as SolutionPackager lays them out; pending until the packer packs them (solution/pending/README.md).</summary>
    public static string WebResources => Path.Combine(PartnerGuard.Testing.RepoPaths.Root, "solution", "pending", "WebResources");

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
