using System.Globalization;
using PartnerGuard.Integration.Execution;
using PartnerGuard.Integration.Journal;

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
    public static RunReport Build(RunSummary summary, IReadOnlyList<ChangeRequest> requests, DateTimeOffset finishedOn)
    {
        var outcome = summary.Results.ToDictionary(r => r.AccountId, r => r.Outcome);
        var partners = requests
            .GroupBy(r => r.Target.PartnerId)
            .Select(g => new RunPartnerCount(g.Key, g.Count(), g.Count(r => outcome.TryGetValue(r.AccountId, out var o) && o == AccountOutcome.Applied)))
            .OrderByDescending(p => p.Accounts).ThenBy(p => p.PartnerId)
            .ToList();
        var failures = summary.Results.Where(r => r.Outcome == AccountOutcome.Failed).Select(r => new RunFailure(r.AccountId, r.Code, r.Message)).ToList();
        return new RunReport(summary.RunId, summary.Operation, finishedOn, requests.Count, summary.Applied, summary.Failed, summary.Skipped, summary.InDoubt, summary.Interrupted, partners, failures);
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
        return html;
    }

    private static string Partner(Guid? id) => id is { } value ? value.ToString("D", CultureInfo.InvariantCulture) : "(no partner)";
}
