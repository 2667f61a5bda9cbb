namespace PartnerGuard.Packer;

/// <summary>Thrown when a solution cannot be packed; nothing has been written.</summary>
public sealed class SolutionPackException : Exception
{
    public SolutionPackException(IReadOnlyList<SourceProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<SourceProblem> Problems { get; }

    private static string Describe(IReadOnlyList<SourceProblem> problems) =>
        $"The solution cannot be packed ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
