namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// Where the console finds the unpacked solution (solution/src) that its embedded org loads. It only locates the
/// folder: reading it is PartnerGuard.SolutionModel.SolutionSource, through the emulator's LoadSolution.
/// </summary>
internal static class SolutionSource
{
    /// <summary>
    /// The copy shipped beside the console (the project copies solution/src to the output), else the source tree's
    /// solution/src above the console's folder (a developer running from bin/ of a checkout whose copy is missing).
    /// </summary>
    public static string Locate()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "solution", "src");
        if (IsSolution(shipped))
        {
            return shipped;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "solution", "src");
            if (File.Exists(Path.Combine(directory.FullName, "PartnerGuard.sln")) && IsSolution(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The PartnerGuard solution source was not found beside the console ({shipped}). Rebuild the console (dotnet build Integration) so solution/src is copied to its output.");
    }

    private static bool IsSolution(string folder) => File.Exists(Path.Combine(folder, "Other", "Solution.xml"));
}
