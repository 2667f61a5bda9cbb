namespace PartnerGuard.WebApi.Tests;

/// <summary>The repository's solution/src (found by <see cref="SolutionEndToEndTests.SolutionFolder"/>), located once.</summary>
internal static class RepoSolution
{
    public static string Folder { get; } = SolutionEndToEndTests.SolutionFolder();
}
