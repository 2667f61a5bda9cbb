using System.Globalization;
using PartnerGuard.Integration.Domain.Transparency;
using static PartnerGuard.Integration.Reports.AuditReportFiles;

namespace PartnerGuard.Integration.Reports;

/// <summary>Writes a simulation as JSON, CSV (every changed deal and account) and a self-contained HTML summary.</summary>
internal static class SimulationReportFiles
{
    public static IReadOnlyList<string> Write(SimulationReport report, string folder) =>
    [
        ReportJson.Write(folder, "simulate.json", report),
        CsvReport.Write(folder, "simulate-changes.csv", ["change", "table", "id", "name", "customer", "value", "now", "draft", "reason_now", "reason_draft"],
            Changes(report).SelectMany(c => c.Change.Items.Select(i => Row(c.Change.Change, i.Table, i.Id, i.Name, i.Customer, i.Value, i.Now, i.Draft, i.ReasonNow, i.ReasonDraft)))),
        CsvReport.Write(folder, "simulate-direct-by-rule.csv", ["rule_set", "rule_id", "rule", "deals", "value"],
            report.DirectByRuleNow.Select(r => Row("active", r.RuleId, r.Rule, r.Deals, r.Value))
                .Concat(report.DirectByRuleDraft.Select(r => Row("draft", r.RuleId, r.Rule, r.Deals, r.Value)))),
        Html(report).Write(folder, "simulate.html"),
    ];

    public static IEnumerable<(string Json, SimulatedChange Change)> Changes(SimulationReport r) =>
    [
        ("newlyDirect", r.NewlyDirect),
        ("noLongerDirect", r.NoLongerDirect),
        ("directByAnotherRule", r.DirectByAnotherRule),
        ("leavePool", r.LeavePool),
        ("joinPool", r.JoinPool),
    ];

    public static HtmlReport Html(SimulationReport r)
    {
        var html = new HtmlReport(
            "PartnerGuard rule simulation",
            $"A draft of {r.DraftRules} rules against the {r.ActiveRules} active rules, over {r.DealsEvaluated} open deals and {r.AccountsEvaluated} customers as of {r.GeneratedOn.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. Nothing was written.");
        html.Section("What would change")
            .Table(["Change", "Meaning", "Records", "Open pipeline value"], Changes(r).Select(c => Row(Title(c.Json), c.Change.Meaning,
                new Figure(string.Empty, $"$.{c.Json}.count", c.Change.Count),
                new Figure(string.Empty, $"$.{c.Json}.value", c.Change.Value))));
        html.BarChart("Direct deals by rule today", r.DirectByRuleNow.Select(d => new Bar(d.Rule, d.Deals)).ToList(), "deals")
            .BarChart("Direct deals by rule under the draft", r.DirectByRuleDraft.Select(d => new Bar(d.Rule, d.Deals)).ToList(), "deals");
        foreach (var (json, change) in Changes(r))
        {
            html.Section($"{Title(json)}: samples", change.Meaning)
                .Table(["Record", "Customer", "Value", "Today", "Draft", "Why (draft)"],
                    change.Samples.Select(i => Row(i.Name, i.Customer, i.Value, i.Now, i.Draft, i.ReasonDraft)), "None.");
        }

        return html;
    }

    private static string Title(string json) => json switch
    {
        "newlyDirect" => "Newly direct",
        "noLongerDirect" => "No longer direct (would be blocked)",
        "directByAnotherRule" => "Direct under another rule",
        "leavePool" => "Leave the reassignment pool",
        _ => "Join the reassignment pool",
    };
}
