namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>
/// The contract between <c>plan</c> and <c>apply</c>: which accounts go to which partner in one run, and why.
/// Reviewable as CSV, exact as JSON; both carry the same content. Deterministic: the same inputs give the
/// same plan, and the same plan gives byte-identical files.
/// </summary>
internal sealed record Plan(
    string RunId,
    DateTimeOffset CreatedOn,
    string Strategy,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<PlanRow> Rows)
{
    /// <summary>The plan's header: everything but its rows.</summary>
    public PlanHeader Header => new(RunId, CreatedOn, Strategy, Parameters);

    /// <summary>Run ids end up in file names and in pg_assignmentrun (text 100).</summary>
    public static void ValidateRunId(string runId, string where)
    {
        // Dots alone ('.', '..') would name the folder itself or its parent in file names.
        if (string.IsNullOrWhiteSpace(runId) || runId.Length > 100 || runId.All(c => c == '.')
            || !runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new PlanFormatException($"{where}: the run id '{runId}' must be 1–100 characters of letters, digits, '-', '_' or '.'.");
        }
    }
}

/// <summary>One account's move: who has it now, which partner it goes to, and the reason in one sentence.</summary>
internal sealed record PlanRow(
    Guid AccountId,
    string AccountName,
    string? AccountNumber,
    string? Country,
    Guid? CurrentOwnerId,
    string? CurrentOwnerTable,
    Guid? PreviousPartnerId,
    Guid NewPartnerId,
    string NewPartnerName,
    string Reason);
