namespace PartnerGuard.SolutionModel;

/// <summary>What kind of problem: the file could not be read at all, or its content breaks a rule.</summary>
public enum SourceProblemKind
{
    /// <summary>The file is there and readable, but something in it (or missing from the folder) breaks a rule.</summary>
    Content,

    /// <summary>The file is not well-formed XML or has no root element: nothing in it could be read.</summary>
    Unreadable,
}

/// <summary>One thing wrong with a solution source folder: the file (relative to the folder) and what is wrong.</summary>
public sealed record SourceProblem(string File, string Message, int? Line = null, SourceProblemKind Kind = SourceProblemKind.Content)
{
    public override string ToString() => Line is { } line ? $"{File} (line {line}): {Message}" : $"{File}: {Message}";
}
