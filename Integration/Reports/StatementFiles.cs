using System.Globalization;
using System.Text;
using PartnerGuard.Integration.Domain.Statements;

namespace PartnerGuard.Integration.Reports;

/// <summary>
/// Writes one partner's statement as a self-contained HTML page (inline CSS, no scripts or external assets, fit to
/// mail; every number tagged with its JSON path), CSV (one table, a section column; cells a spreadsheet would run
/// as formulas escaped) and JSON; and, for `--all`, the index of every partner's files.
/// </summary>
internal static class StatementFiles
{
    public static readonly string[] CsvHeader =
        ["section", "id", "name", "customer", "country", "channel", "value", "rule", "run", "strategy", "date", "detail"];

    /// <summary>The file name stem of a partner's statement: its name made safe for any file system (40 characters at most), then its whole id, so two partners never share a file.</summary>
    public static string Stem(StatementPartner partner)
    {
        var slug = new StringBuilder();
        foreach (var c in partner.Name.Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-' && (char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c)))
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var name = slug.ToString().Trim('-');
        return (name.Length == 0 ? "partner" : name) + "-" + partner.Id.ToString("N");
    }

    public static IReadOnlyList<string> Write(PartnerStatement statement, string folder)
    {
        var stem = Stem(statement.Partner);
        return
        [
            Html(statement).Write(folder, stem + ".html"),
            WriteCsv(statement, Path.Combine(folder, stem + ".csv")),
            ReportJson.Write(folder, stem + ".json", statement),
        ];
    }

    public static HtmlReport Html(PartnerStatement s)
    {
        var t = s.Totals;
        var period = s.Period.Since is { } since
            ? $"from {since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {Day(s.Period.Until)}"
            : $"up to {Day(s.Period.Until)}";
        var html = new HtmlReport(
            "Partner statement: " + s.Partner.Name,
            $"Where {s.Partner.Name} stands on {s.GeneratedOn.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; events {period}. Values in base currency. Rules of engagement version {s.RulesVersion}.");

        html.Section("Summary")
            .Cards(
                new Figure("Customers assigned to you", "$.totals.customers", t.Customers),
                new Figure("Assigned in the period", "$.totals.assignedInPeriod", t.AssignedInPeriod),
                new Figure("Lost in the period", "$.totals.lostInPeriod", t.LostInPeriod),
                new Figure("Your capacity", "$.partner.capacity", s.Partner.Capacity, Note: s.Partner.Capacity is null ? "no cap" : null),
                new Figure("Your load (customers ÷ capacity)", "$.totals.load", t.Load, FigureFormat.Ratio),
                new Figure("Open deals through you", "$.totals.openDeals", t.OpenDeals),
                new Figure("Their value", "$.totals.openValue", t.OpenValue),
                new Figure("Your customers' deals that went direct", "$.totals.directDeals", t.DirectDeals),
                new Figure("Their value", "$.totals.directValue", t.DirectValue),
                new Figure("Deals in conflict", "$.totals.conflicts", t.Conflicts),
                new Figure("Their value", "$.totals.conflictValue", t.ConflictValue));

        var f = s.Fairness;
        html.Section("Your load against other partners", "Load = assigned customers ÷ capacity, over partners with a capacity.")
            .Cards(
                new Figure("Lowest load", "$.fairness.minLoad", f.MinLoad, FigureFormat.Ratio),
                new Figure("Mean load", "$.fairness.meanLoad", f.MeanLoad, FigureFormat.Ratio),
                new Figure("Highest load", "$.fairness.maxLoad", f.MaxLoad, FigureFormat.Ratio),
                new Figure("Spread (highest − lowest)", "$.fairness.loadSpread", f.LoadSpread, FigureFormat.Ratio),
                new Figure("Partners with a capacity", "$.fairness.cappedPartners", f.CappedPartners));

        html.Section("Your customers", "Assigned to you now: when, by which run and strategy (blank when not assigned by a PartnerGuard run).")
            .Table(["Customer", "Country", "Assigned on", "Run", "Strategy", "In the period"],
                s.Customers.Select(c => Row(c.Name, c.Country, c.AssignedOn is { } on ? Day(on) : null, c.Run, c.Strategy, c.InPeriod ? "yes" : "no")),
                "No customers are assigned to you.");

        html.Section("Customers you lost in the period", "Taken away by a later run or put back by an undo: when, by which run, and to whom.")
            .Table(["Customer", "Now with", "Why", "Run", "On"],
                s.Lost.Select(l => Row(l.Name ?? l.Id.ToString("D"), l.NewPartner ?? "no partner", l.Why, l.Run, l.On is { } on ? Day(on) : null)),
                "None recorded.")
            .Paragraph(s.History, muted: true);

        html.Section("Open deals through you", "Deals that name you as partner, with the channel PartnerGuard recorded.")
            .Table(["Opportunity", "Customer", "Channel", "Value", "Your customer"],
                s.Deals.Select((d, i) => Row(d.Name, d.Customer, d.Channel, new Figure(string.Empty, $"$.deals[{i}].value", d.Value), d.OwnCustomer ? "yes" : "no")),
                "No open deals name you.");

        html.Section("Your customers' deals that went direct", "Each with the direct sales rule that made it direct (see the rules of engagement).")
            .Table(["Opportunity", "Customer", "Value", "Rule", "Decided on"],
                s.DirectDeals.Select((d, i) => Row(d.Name, d.Customer, new Figure(string.Empty, $"$.directDeals[{i}].value", d.Value), d.Rule, d.DecidedOn is { } on ? Day(on) : null)),
                "None.");

        html.Section("Channel conflicts", "Open deals whose partner is not the customer's assigned partner, where either is you.")
            .Table(["Opportunity", "Customer", "Value", "Partner on the deal", "Assigned partner"],
                s.Conflicts.Select((c, i) => Row(c.Deal, c.Customer, new Figure(string.Empty, $"$.conflicts[{i}].value", c.Value), c.DealPartner, c.AssignedPartner)),
                "No conflicts.");

        html.Section("Reassignment runs in the period")
            .Table(["Run", "Status", "Strategy", "Started", "Finished", "Your customers from it", "Accounts it undid"],
                s.Runs.Select((r, i) => Row(r.Run, r.Status, r.Strategy, r.StartedOn is { } a ? Day(a) : null, r.FinishedOn is { } b ? Day(b) : null,
                    new Figure(string.Empty, $"$.runs[{i}].customersFromRun", r.CustomersFromRun),
                    new Figure(string.Empty, $"$.runs[{i}].undone", r.Undone))),
                "No runs in the period.");

        html.Section("Rule changes in the period")
            .Table(["Rule", "Change", "Day"], s.RuleChanges.Select(r => Row(r.Rule, r.Change, r.Day)), "No rule started or ended in the period.");
        return html;
    }

    private static string WriteCsv(PartnerStatement s, string path)
    {
        using var csv = CsvReport.Open(path, CsvHeader);
        foreach (var c in s.Customers)
        {
            csv.Write("customer", Text(c.Id), c.Name, string.Empty, c.Country ?? string.Empty, string.Empty, string.Empty, string.Empty, c.Run ?? string.Empty, c.Strategy ?? string.Empty, Text(c.AssignedOn), c.InPeriod ? "in period" : string.Empty);
        }

        foreach (var l in s.Lost)
        {
            csv.Write("lost", Text(l.Id), l.Name ?? string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, l.Run, string.Empty, Text(l.On), $"{l.Why}; now with: {l.NewPartner ?? "no partner"}");
        }

        foreach (var d in s.Deals)
        {
            csv.Write("deal", Text(d.Id), d.Name, d.Customer ?? string.Empty, string.Empty, d.Channel, Text(d.Value), string.Empty, string.Empty, string.Empty, string.Empty, d.OwnCustomer ? "your customer" : "customer assigned elsewhere or to nobody");
        }

        foreach (var d in s.DirectDeals)
        {
            csv.Write("direct", Text(d.Id), d.Name, d.Customer ?? string.Empty, string.Empty, "Direct", Text(d.Value), d.Rule, string.Empty, string.Empty, Text(d.DecidedOn), string.Empty);
        }

        foreach (var c in s.Conflicts)
        {
            csv.Write("conflict", Text(c.DealId), c.Deal, c.Customer ?? string.Empty, string.Empty, string.Empty, Text(c.Value), string.Empty, string.Empty, string.Empty, string.Empty, $"deal partner: {c.DealPartner}; assigned partner: {c.AssignedPartner}");
        }

        foreach (var r in s.Runs)
        {
            csv.Write("run", string.Empty, r.Run, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, r.Run, r.Strategy ?? string.Empty, Text(r.FinishedOn ?? r.StartedOn), $"{r.Status}; your customers from it: {r.CustomersFromRun}; accounts it undid: {r.Undone}");
        }

        foreach (var r in s.RuleChanges)
        {
            csv.Write("rule change", Text(r.Id), r.Rule, string.Empty, string.Empty, string.Empty, string.Empty, r.Rule, string.Empty, string.Empty, r.Day, r.Change);
        }

        return csv.Path;
    }

    /// <summary>The index of `statement --all`: one row per partner with its totals and its files.</summary>
    public sealed class Index : IDisposable
    {
        private readonly CsvReportWriter _csv;
        private readonly List<(string Partner, string Stem, StatementTotals Totals)> _rows = [];
        private readonly string _folder;
        private bool _closed;

        public Index(string folder)
        {
            _folder = folder;
            _csv = CsvReport.Open(Path.Combine(folder, "index.csv"),
                ["partner_id", "partner", "file", "customers", "lost", "load", "open_deals", "open_value", "direct_deals", "direct_value", "conflicts"]);
        }

        public void Add(PartnerStatement s)
        {
            var stem = Stem(s.Partner);
            var t = s.Totals;
            _csv.Write(Text(s.Partner.Id), s.Partner.Name, stem + ".html", Text(t.Customers), Text(t.LostInPeriod), Text(t.Load), Text(t.OpenDeals), Text(t.OpenValue), Text(t.DirectDeals), Text(t.DirectValue), Text(t.Conflicts));
            _rows.Add((s.Partner.Name, stem, t));
        }

        /// <summary>Closes the CSV and writes index.html (a link and the totals per partner; one short row each).</summary>
        public IReadOnlyList<string> Finish(DateTime generatedOn)
        {
            Dispose();
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Partner statements</title>")
                .Append("<style>body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px}table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px}td.num{text-align:right}</style></head><body>\n")
                .Append("<h1>Partner statements</h1>\n<p>")
                .Append(E($"{_rows.Count} partners, {generatedOn.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. Each statement is one self-contained file to send to its partner; index.csv has the same rows."))
                .Append("</p>\n<table><thead><tr><th>Partner</th><th>Customers</th><th>Load</th><th>Open deals</th><th>Open value</th><th>Direct deals</th><th>Conflicts</th></tr></thead><tbody>\n");
            foreach (var (partner, stem, t) in _rows)
            {
                html.Append("<tr><td><a href=\"").Append(E(Uri.EscapeDataString(stem) + ".html")).Append("\">").Append(E(partner)).Append("</a></td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.Customers, FigureFormat.Number))).Append("</td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.Load, FigureFormat.Ratio))).Append("</td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.OpenDeals, FigureFormat.Number))).Append("</td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.OpenValue, FigureFormat.Number))).Append("</td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.DirectDeals, FigureFormat.Number))).Append("</td>")
                    .Append("<td class=\"num\">").Append(E(HtmlReport.Format(t.Conflicts, FigureFormat.Number))).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n</body></html>\n");
            var path = Path.Combine(_folder, "index.html");
            File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
            return [_csv.Path, path];
        }

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                _csv.Dispose();
            }
        }
    }

    private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(object? value) => CsvReport.Text(value);

    private static string E(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static IReadOnlyList<object?> Row(params object?[] cells) => cells;
}
