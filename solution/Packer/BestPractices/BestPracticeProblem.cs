namespace PartnerGuard.Packer.BestPractices;

/// <summary>The problem a best-practice check reports: the rule's id and title lead the message; file and line say where.</summary>
internal static class BestPracticeProblem
{
    public static SourceProblem Of(BestPracticeRule rule, string file, int? line, string detail) =>
        new(file, $"{rule}: {detail}", line);
}
