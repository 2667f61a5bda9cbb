namespace PartnerGuard.XrmSdk.Tests.Surface;

/// <summary>
/// The surface check reflects over the net10.0 build only. It covers the net462 build (the one the plugin
/// ships against) because both compile from the same sources; this test keeps it so by allowing conditional
/// compilation only where it cannot change the public surface.
/// </summary>
public sealed class TargetFrameworkParityTests
{
    /// <summary>File name → how many #if blocks it may have, and why.</summary>
    private static readonly Dictionary<string, (int Count, string Reason)> AllowedConditionals = new(StringComparer.Ordinal)
    {
        ["InvalidPluginExecutionException.cs"] =
            (2, "[Obsolete] on the GetObjectData override and on the private deserialization constructor, required on modern .NET (SYSLIB0051); an attribute, not a signature"),
    };

    [Fact]
    public void StandInSources_UseConditionalCompilationOnlyWhereAllowed()
    {
        string root = Path.Combine(RepositoryRoot(), "XrmSdk");
        List<string> offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(root, f))
            .Select(f => (Name: Path.GetFileName(f), Count: File.ReadLines(f).Count(l => l.TrimStart().StartsWith("#if", StringComparison.Ordinal))))
            .Where(f => f.Count > (AllowedConditionals.TryGetValue(f.Name, out var allowed) ? allowed.Count : 0))
            .Select(f => $"{f.Name} ({f.Count} #if)")
            .ToList();

        Assert.True(
            offenders.Count == 0,
            "These stand-in files use #if, which can make the net462 surface differ from the checked net10.0 one: "
                + string.Join(", ", offenders));
    }

    private static bool IsBuildOutput(string root, string file)
    {
        string relative = Path.GetRelativePath(root, file);
        return relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartnerGuard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PartnerGuard.sln was not found above {AppContext.BaseDirectory}.");
    }
}
