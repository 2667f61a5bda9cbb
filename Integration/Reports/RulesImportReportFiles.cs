using PartnerGuard.Integration.Domain.Transparency;
using static PartnerGuard.Integration.Reports.AuditReportFiles;

namespace PartnerGuard.Integration.Reports;

/// <summary>The outcome of `rules import`: the diff, and whether it was written.</summary>
internal sealed record RulesImportReport(DateTime GeneratedOn, string File, bool Written, bool DeleteMissing, RulesImportCounts Counts, RulesDiff Diff);

internal sealed record RulesImportCounts(int Added, int Changed, int Unchanged, int MissingFromFile, int Deleted);

/// <summary>Writes an import's diff as JSON, CSV (one row per field change) and a self-contained HTML summary.</summary>
internal static class RulesImportReportFiles
{
    public static IReadOnlyList<string> Write(RulesImportReport report, string folder) =>
    [
        ReportJson.Write(folder, "rules-import.json", report),
        CsvReport.Write(folder, "rules-import.csv", ["change", "rule_id", "rule", "field", "before", "after"],
            All(report.Diff).SelectMany(c => c.Fields.Count == 0
                ? [Row(c.Change, c.Id, c.Name, null, null, null)]
                : c.Fields.Select(f => Row(c.Change, c.Id, c.Name, f.Field, f.Before, f.After)))),
        Html(report).Write(folder, "rules-import.html"),
    ];

    private static IEnumerable<RuleChange> All(RulesDiff d) => d.Added.Concat(d.Changed).Concat(d.Unchanged).Concat(d.Missing);

    public static HtmlReport Html(RulesImportReport r)
    {
        var html = new HtmlReport("PartnerGuard rules import", $"{r.File}: {(r.Written ? "written to Dataverse" : "not written (dry run; run again with --yes to write)")}.");
        html.Section("Summary").Cards(
            new Figure("Added", "$.counts.added", r.Counts.Added),
            new Figure("Changed", "$.counts.changed", r.Counts.Changed),
            new Figure("Unchanged", "$.counts.unchanged", r.Counts.Unchanged),
            new Figure("In the org, missing from the file", "$.counts.missingFromFile", r.Counts.MissingFromFile, Note: r.DeleteMissing ? "deleted (--delete-missing)" : "kept; pass --delete-missing to delete"),
            new Figure("Deleted", "$.counts.deleted", r.Counts.Deleted));
        html.Section("Changes")
            .Table(["Change", "Rule", "Field", "Before", "After"],
                r.Diff.Added.Concat(r.Diff.Changed).SelectMany(c => c.Fields.Select(f => Row(c.Change, c.Name, f.Field, f.Before, f.After))), "No changes.");
        html.Section("Rules in the org that the file does not contain")
            .Table(["Rule", "Id"], r.Diff.Missing.Select(m => Row(m.Name, m.Id)), "None.");
        return html;
    }
}
