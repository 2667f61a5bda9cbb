namespace PartnerGuard.Packer;

/// <summary>One thing wrong with a solution source folder: the file (relative to the folder) and what is wrong.</summary>
public sealed record PackProblem(string File, string Message, int? Line = null)
{
    public override string ToString() => Line is { } line ? $"{File} (line {line}): {Message}" : $"{File}: {Message}";
}

/// <summary>Thrown when a solution cannot be packed; nothing has been written.</summary>
public sealed class SolutionPackException : Exception
{
    public SolutionPackException(IReadOnlyList<PackProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<PackProblem> Problems { get; }

    private static string Describe(IReadOnlyList<PackProblem> problems) =>
        $"The solution cannot be packed ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + Environment.NewLine
        + string.Join(Environment.NewLine, problems.Select(p => "  " + p));
}
