namespace PartnerGuard.Tests;

/// <summary>Where the repository is, for tests that read its files. Linked into PartnerGuard.Policy.Tests too.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the test binaries that holds PartnerGuard.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PartnerGuard.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("PartnerGuard.sln not found above " + AppContext.BaseDirectory);
    }
}
