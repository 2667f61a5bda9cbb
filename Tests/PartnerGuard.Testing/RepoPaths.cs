namespace PartnerGuard.Testing;

/// <summary>Where the repository is, for tests that read its files (the solution source, the demo data, docs).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root: the first folder above the test binaries that holds PartnerGuard.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The committed, unpacked PartnerGuard solution (solution/src).</summary>
    public static string SolutionSource => Path.Combine(Root, "solution", "src");

    /// <summary>A path under the repository root.</summary>
    public static string Under(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PartnerGuard.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PartnerGuard.sln not found above " + AppContext.BaseDirectory + ".");
    }
}
