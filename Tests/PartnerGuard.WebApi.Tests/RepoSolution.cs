namespace PartnerGuard.WebApi.Tests;

/// <summary>The repository's solution/src, found from the test output folder (or the test source) upwards.</summary>
internal static class RepoSolution
{
    public static string Folder { get; } = Find();

    private static string Find([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? string.Empty })
        {
            var directory = new DirectoryInfo(start);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PartnerGuard.sln")))
            {
                directory = directory.Parent;
            }

            if (directory is not null)
            {
                return Path.Combine(directory.FullName, "solution", "src");
            }
        }

        throw new InvalidOperationException("PartnerGuard.sln was not found above the test output folder or the test source.");
    }
}
