using System.Globalization;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Reports;

/// <summary>The outcome of an apply, distribute or undo run as JSON, with the same figures in the HTML summary.</summary>
internal sealed record RunReport(
    string RunId,
    string Operation,
    DateTimeOffset FinishedOn,
    int Accounts,
    int Applied,
    int Failed,
    int Skipped,
    int NotFinished,
    bool Interrupted,
    IReadOnlyList<RunPartnerCount> Partners,
    IReadOnlyList<RunFailure> Failures);

/// <summary>Accounts of the run per target partner (null: no partner, e.g. an undo back to none).</summary>
internal sealed record RunPartnerCount(Guid? PartnerId, int Accounts, int Applied);

internal sealed record RunFailure(Guid AccountId, string? Code, string? Message);

/// <summary>Writes <c>RUN.OPERATION.results.json</c> and <c>RUN.OPERATION.summary.html</c> next to the results CSV.</summary>
internal static class RunReportFiles
{
    /// <summary>
    /// The report of a run from its counts. <paramref name="planned"/> gives the accounts per target partner
    /// (Guid.Empty: none) when known up front, so an interrupted run still shows what was planned; otherwise the
    /// accounts the run reached. Failures: the first <see cref="RunTally.KeptFailures"/>; the results CSV has all.
    /// </summary>
    public static RunReport Build(RunSummary summary, IReadOnlyDictionary<Guid, int>? planned, DateTimeOffset finishedOn)
    {
        var reached = summary.Partners.ToDictionary(p => p.PartnerId ?? Guid.Empty);
        var keys = planned is null ? reached.Keys : planned.Keys.Union(reached.Keys);
        var partners = keys
            .Select(id => new RunPartnerCount(
                id == Guid.Empty ? null : id,
                planned?.GetValueOrDefault(id) ?? reached.GetValueOrDefault(id)?.Accounts ?? 0,
                reached.GetValueOrDefault(id)?.Applied ?? 0))
            .OrderByDescending(p => p.Accounts).ThenBy(p => p.PartnerId)
            .ToList();
        var failures = summary.Failures.Select(r => new RunFailure(r.AccountId, r.Code, r.Message)).ToList();
        return new RunReport(summary.RunId, summary.Operation, finishedOn, summary.Accounts, summary.Applied, summary.Failed, summary.Skipped, summary.InDoubt, summary.Interrupted, partners, failures);
    }

    public static IReadOnlyList<string> Write(RunReport report, string folder) =>
    [
        ReportJson.Write(folder, $"{report.RunId}.{report.Operation}.results.json", report),
        Html(report).Write(folder, $"{report.RunId}.{report.Operation}.summary.html"),
    ];

    public static HtmlReport Html(RunReport r)
    {
        var html = new HtmlReport(
            $"PartnerGuard run {r.RunId} ({r.Operation})",
            $"{r.Accounts} accounts, finished {r.FinishedOn.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC{(r.Interrupted ? "; the run was interrupted: run the same command again to resume" : string.Empty)}.");
        html.Cards(
            new Figure("Applied", "$.applied", r.Applied),
            new Figure("Failed", "$.failed", r.Failed),
            new Figure("Skipped", "$.skipped", r.Skipped, Note: "changed since the plan or already as planned"),
            new Figure("Not finished", "$.notFinished", r.NotFinished));
        html.Section("Accounts per partner")
            .BarChart("Accounts per partner", r.Partners.Select((p, i) => new Bar(Partner(p.PartnerId), p.Accounts, JsonPath: $"$.partners[{i}].accounts")).ToList(), "accounts")
            .Table(["Partner", "Accounts", "Applied"], r.Partners.Select((p, i) => AuditReportFiles.Row(
                Partner(p.PartnerId),
                new Figure(string.Empty, $"$.partners[{i}].accounts", p.Accounts),
                new Figure(string.Empty, $"$.partners[{i}].applied", p.Applied))));
        html.Section("Failures")
            .Table(["Account", "Code", "Message"], r.Failures.Select(f => AuditReportFiles.Row(f.AccountId.ToString("D", CultureInfo.InvariantCulture), f.Code, f.Message)), "None.");
        if (r.Failed > r.Failures.Count)
        {
            html.Paragraph($"The first {r.Failures.Count} of {r.Failed} failures are listed; the results CSV has every one.", muted: true);
        }

        return html;
    }

    private static string Partner(Guid? id) => id is { } value ? value.ToString("D", CultureInfo.InvariantCulture) : "(no partner)";
}
