using System.Globalization;
using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Reports;

/// <summary>Writes the audit as JSON (all figures), CSV (one table per concern) and a self-contained HTML summary.</summary>
internal static class AuditReportFiles
{
    public static IReadOnlyList<string> Write(AuditReport report, string folder)
    {
        var files = new List<string>
        {
            ReportJson.Write(folder, "audit.json", report),
            CsvReport.Write(folder, "audit-channels.csv", ["channel", "deals", "value"],
                report.Coverage.ByChannel.Select(c => Row(c.Channel, c.Deals, c.Value))),
            CsvReport.Write(folder, "audit-direct-by-rule.csv", ["rule_id", "rule", "deals", "value"],
                report.Coverage.DirectByRule.Select(r => Row(r.RuleId, r.Rule, r.Deals, r.Value))),
            CsvReport.Write(folder, "audit-leakage.csv", ["opportunity_id", "opportunity", "customer", "value", "cause", "recorded_channel", "assigned_partner", "recorded_reason"],
                report.Leakage.Deals.Select(l => Row(l.DealId, l.Deal, l.Customer, l.Value, l.Cause, l.RecordedChannel, l.AssignedPartner, l.RecordedReason))),
            CsvReport.Write(folder, "audit-conflicts.csv", ["opportunity_id", "opportunity", "customer", "value", "deal_partner", "assigned_partner"],
                report.Conflicts.Deals.Select(c => Row(c.DealId, c.Deal, c.Customer, c.Value, c.DealPartner, c.AssignedPartner))),
            CsvReport.Write(folder, "audit-partners.csv", ["partner_id", "partner", "capacity", "accounts", "load", "open_deals", "open_value"],
                report.Distribution.Partners.Select(p => Row(p.PartnerId, p.Partner, p.Capacity, p.Accounts, p.Load, p.OpenDeals, p.OpenValue))),
            CsvReport.Write(folder, "audit-runs.csv", ["run", "finished_on", "status", "planned", "applied", "failed", "undone", "assigned_by_then", "assigned_share_by_then"],
                report.Progress.Waves.Select(w => Row(w.Run, w.FinishedOn, w.Status, w.Planned, w.Applied, w.Failed, w.Undone, w.AssignedByThen, w.AssignedShareByThen))),
            Html(report).Write(folder, "audit.html"),
        };
        return files;
    }

    public static HtmlReport Html(AuditReport r)
    {
        var html = new HtmlReport(
            "PartnerGuard audit",
            $"Open deals and customers as of {r.GeneratedOn.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. Enforcement mode: {r.EnforcementMode}. Values in base currency.");

        html.Section("Coverage", "How much of the open pipeline goes through a partner.")
            .Cards(
                new Figure("Open deals", "$.coverage.open.deals", r.Coverage.Open.Deals),
                new Figure("Open pipeline value", "$.coverage.open.value", r.Coverage.Open.Value),
                new Figure("Deals with a partner", "$.coverage.withPartner.deals", r.Coverage.WithPartner.Deals),
                new Figure("Share of deals with a partner", "$.coverage.dealShareWithPartner", r.Coverage.DealShareWithPartner, FigureFormat.Percent),
                new Figure("Share of pipeline value with a partner", "$.coverage.valueShareWithPartner", r.Coverage.ValueShareWithPartner, FigureFormat.Percent))
            .Table(["Recorded channel", "Deals", "Value"], r.Coverage.ByChannel.Select((c, i) => Row(c.Channel,
                new Figure(string.Empty, $"$.coverage.byChannel[{i}].deals", c.Deals),
                new Figure(string.Empty, $"$.coverage.byChannel[{i}].value", c.Value))))
            .BarChart("Direct deals by rule", r.Coverage.DirectByRule.Select(d => new Bar(d.Rule, d.Deals)).ToList(), "deals")
            .Table(["Direct sales rule", "Deals", "Value"], r.Coverage.DirectByRule.Select((d, i) => Row(d.Rule,
                new Figure(string.Empty, $"$.coverage.directByRule[{i}].deals", d.Deals),
                new Figure(string.Empty, $"$.coverage.directByRule[{i}].value", d.Value))), "No open deal is recorded as direct.");

        html.Section("Leakage", "Open deals with no partner that no direct sales rule covers today.")
            .Cards(
                new Figure("Deals leaking", "$.leakage.total.deals", r.Leakage.Total.Deals),
                new Figure("Value leaking", "$.leakage.total.value", r.Leakage.Total.Value))
            .Table(["How it got there", "Deals", "Value"], r.Leakage.ByCause.Select((c, i) => Row(c.Cause,
                new Figure(string.Empty, $"$.leakage.byCause[{i}].deals", c.Deals),
                new Figure(string.Empty, $"$.leakage.byCause[{i}].value", c.Value))), "No leakage.")
            .Table(["Opportunity", "Customer", "Value", "Recorded", "Assigned partner to attach"],
                r.Leakage.Deals.Take(25).Select(l => Row(l.Deal, l.Customer, l.Value, l.RecordedChannel, l.AssignedPartner)), "No leaking deals.");
        if (r.Leakage.Deals.Count > 25)
        {
            html.Paragraph($"The 25 largest of {r.Leakage.Deals.Count} are shown; audit-leakage.csv lists them all.", muted: true);
        }

        html.Section("Channel conflict", "Open deals whose partner is not the customer's assigned partner.")
            .Cards(
                new Figure("Deals in conflict", "$.conflicts.total.deals", r.Conflicts.Total.Deals),
                new Figure("Value in conflict", "$.conflicts.total.value", r.Conflicts.Total.Value))
            .Table(["Opportunity", "Customer", "Value", "Partner on the deal", "Assigned partner"],
                r.Conflicts.Deals.Take(25).Select(c => Row(c.Deal, c.Customer, c.Value, c.DealPartner, c.AssignedPartner)), "No conflicts.");

        var f = r.Distribution.Fairness;
        html.Section("Distribution", "Customers and pipeline per partner against capacity. Load = assigned customers ÷ capacity.")
            .Cards(
                new Figure("Partners with a capacity", "$.distribution.fairness.cappedPartners", f.CappedPartners),
                new Figure("Load spread (max − min)", "$.distribution.fairness.loadSpread", f.LoadSpread, FigureFormat.Ratio, "0 means perfectly even"),
                new Figure("Mean load", "$.distribution.fairness.meanLoad", f.MeanLoad, FigureFormat.Ratio),
                new Figure("Partners over capacity", "$.distribution.fairness.overCapacity", f.OverCapacity))
            .BarChart("Load per partner vs capacity", r.Distribution.Partners.Select(p => new Bar(p.Partner, p.Accounts, p.Capacity)).ToList(), "assigned customers", "capacity")
            .Table(["Partner", "Capacity", "Customers", "Load", "Open deals", "Open value"], r.Distribution.Partners.Select((p, i) => Row(p.Partner,
                new Figure(string.Empty, $"$.distribution.partners[{i}].capacity", p.Capacity),
                new Figure(string.Empty, $"$.distribution.partners[{i}].accounts", p.Accounts),
                new Figure(string.Empty, $"$.distribution.partners[{i}].load", p.Load, FigureFormat.Ratio),
                new Figure(string.Empty, $"$.distribution.partners[{i}].openDeals", p.OpenDeals),
                new Figure(string.Empty, $"$.distribution.partners[{i}].openValue", p.OpenValue))), "No active partners.");

        var g = r.Progress;
        html.Section("Progress of the distribution")
            .Cards(
                new Figure("Customers", "$.progress.customers", g.Customers),
                new Figure("With an assigned partner", "$.progress.assigned", g.Assigned),
                new Figure("Share assigned", "$.progress.assignedShare", g.AssignedShare, FigureFormat.Percent),
                new Figure("Handled direct by a rule", "$.progress.coveredByRule", g.CoveredByRule),
                new Figure("Eligible accounts left", "$.progress.eligibleLeft", g.EligibleLeft),
                new Figure("Waves run", "$.progress.runs", g.Runs))
            .LineChart("Share of customers with a partner after each run", g.Waves.Select(w => (w.Run, w.AssignedShareByThen)).ToList())
            .Table(["Run", "Finished", "Status", "Planned", "Applied", "Failed", "Undone", "Share assigned by then"], g.Waves.Select((w, i) => Row(w.Run, w.FinishedOn, w.Status,
                new Figure(string.Empty, $"$.progress.waves[{i}].planned", w.Planned),
                new Figure(string.Empty, $"$.progress.waves[{i}].applied", w.Applied),
                new Figure(string.Empty, $"$.progress.waves[{i}].failed", w.Failed),
                new Figure(string.Empty, $"$.progress.waves[{i}].undone", w.Undone),
                new Figure(string.Empty, $"$.progress.waves[{i}].assignedShareByThen", w.AssignedShareByThen, FigureFormat.Percent))), "No reassignment runs yet.");
        return html;
    }

    internal static IReadOnlyList<object?> Row(params object?[] cells) => cells;
}
