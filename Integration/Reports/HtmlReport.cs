using System.Globalization;
using System.Net;
using System.Text;

namespace PartnerGuard.Integration.Reports;

/// <summary>How a figure is shown; the HTML element carries it in data-format so a reader (or a test) can compare it with the JSON.</summary>
internal enum FigureFormat
{
    /// <summary>Exact, thousands separators: 1,234,567.5.</summary>
    Number,

    /// <summary>A share 0..1 shown as a percentage with one decimal: 66.7 %.</summary>
    Percent,

    /// <summary>A ratio with two decimals: 0.67.</summary>
    Ratio,
}

/// <summary>A figure in a report: its label, the JSON path of the same number in the report's JSON, and the value.</summary>
internal sealed record Figure(string Label, string JsonPath, decimal? Value, FigureFormat Format = FigureFormat.Number, string? Note = null);

/// <summary>A bar of a chart; <see cref="Marker"/> draws a tick (e.g. the capacity) on the same scale.</summary>
internal sealed record Bar(string Label, decimal Value, decimal? Marker = null, string? JsonPath = null);

/// <summary>
/// A self-contained HTML page: inline CSS, inline SVG charts drawn here, no scripts, no external assets, so a
/// channel manager can open it or mail it. Every number that also appears in the JSON is wrapped in an element
/// with data-figure="JSON path" and data-format, and shown formatted from the same value.
/// </summary>
internal sealed class HtmlReport
{
    private const string Css = """
        body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1b1b1b;background:#fff;max-width:1100px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .sub{color:#555;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:12px}
        .card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}
        .card .label{font-size:12px;color:#555}.card .figure{font-size:22px;font-weight:600}.card .note{font-size:11px;color:#777}
        table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .chart{margin:8px 0}.chart text{font-size:11px;fill:#333}.muted{color:#777;font-size:12px}
        """;

    private readonly StringBuilder _body = new();
    private readonly string _title;

    public HtmlReport(string title, string subtitle)
    {
        _title = title;
        _body.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"sub\">").Append(E(subtitle)).Append("</p>\n");
    }

    public HtmlReport Section(string title, string? text = null)
    {
        _body.Append("<h2>").Append(E(title)).Append("</h2>\n");
        if (text is not null)
        {
            _body.Append("<p>").Append(E(text)).Append("</p>\n");
        }

        return this;
    }

    public HtmlReport Paragraph(string text, bool muted = false)
    {
        _body.Append(muted ? "<p class=\"muted\">" : "<p>").Append(E(text)).Append("</p>\n");
        return this;
    }

    public HtmlReport Cards(params Figure[] figures)
    {
        _body.Append("<div class=\"cards\">\n");
        foreach (var figure in figures)
        {
            _body.Append("<div class=\"card\"><div class=\"label\">").Append(E(figure.Label)).Append("</div>")
                .Append(Span(figure));
            if (figure.Note is not null)
            {
                _body.Append("<div class=\"note\">").Append(E(figure.Note)).Append("</div>");
            }

            _body.Append("</div>\n");
        }

        _body.Append("</div>\n");
        return this;
    }

    /// <summary>A table; a cell that is a <see cref="Figure"/> is shown as a figure (label unused), anything else as text.</summary>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows, string? empty = null)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            _body.Append("<p class=\"muted\">").Append(E(empty ?? "None.")).Append("</p>\n");
            return this;
        }

        _body.Append("<table><thead><tr>");
        foreach (var name in header)
        {
            _body.Append("<th>").Append(E(name)).Append("</th>");
        }

        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in list)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
            {
                _ = cell switch
                {
                    Figure figure => _body.Append("<td class=\"num\">").Append(Span(figure)).Append("</td>"),
                    decimal or int => _body.Append("<td class=\"num\">").Append(E(Format(Convert.ToDecimal(cell, CultureInfo.InvariantCulture), FigureFormat.Number))).Append("</td>"),
                    _ => _body.Append("<td>").Append(E(CsvReport.Text(cell))).Append("</td>"),
                };
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Horizontal bars on one scale, value printed at the end of each bar; markers as dark ticks.</summary>
    public HtmlReport BarChart(string title, IReadOnlyList<Bar> bars, string valueName, string? markerName = null)
    {
        if (bars.Count == 0)
        {
            return Paragraph(title + ": nothing to chart.", muted: true);
        }

        const int labelWidth = 180, barWidth = 520, rowHeight = 24, top = 24;
        var max = Math.Max(bars.Max(b => Math.Max(b.Value, b.Marker ?? 0m)), 1m);
        var height = top + (bars.Count * rowHeight) + 24;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 120}\" height=\"{height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"14\" font-weight=\"600\">{E(title)}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = top + (i * rowHeight);
            var w = (double)(bar.Value / max) * barWidth;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 15}\">{E(Clip(bar.Label, 28))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"16\" fill=\"#2b6cb0\"><title>{E(bar.Label)}: {E(Format(bar.Value, FigureFormat.Number))} {E(valueName)}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + w + 6:0.#}\" y=\"{y + 15}\">{E(Format(bar.Value, FigureFormat.Number))}</text>");
            if (bar.Marker is { } marker)
            {
                var x = labelWidth + ((double)(marker / max) * barWidth);
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"marker\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{y}\" y2=\"{y + 22}\" stroke=\"#c53030\" stroke-width=\"3\"><title>{E(markerName ?? "marker")}: {E(Format(marker, FigureFormat.Number))}</title></line>");
            }
        }

        var legend = markerName is null ? E(valueName) : $"{E(valueName)} (bars), {E(markerName)} (red ticks)";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth}\" y=\"{height - 6}\" class=\"legend\">{legend}</text></svg>\n");
        _body.Append(svg);
        return this;
    }

    /// <summary>A line of shares (0..1) over labelled points, e.g. coverage after each run.</summary>
    public HtmlReport LineChart(string title, IReadOnlyList<(string Label, decimal Share)> points)
    {
        if (points.Count == 0)
        {
            return Paragraph(title + ": no runs yet.", muted: true);
        }

        const int left = 40, width = 600, height = 200, top = 24;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{left + width + 40}\" height=\"{top + height + 60}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"14\" font-weight=\"600\">{E(title)}</text>");
        foreach (var tick in new[] { 0m, 0.5m, 1m })
        {
            var ty = top + height - ((double)tick * height);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + width}\" y1=\"{ty:0.#}\" y2=\"{ty:0.#}\" stroke=\"#ddd\"/><text x=\"0\" y=\"{ty + 4:0.#}\">{tick * 100:0} %</text>");
        }

        var step = points.Count == 1 ? 0 : (double)width / (points.Count - 1);
        var coordinates = new List<string>();
        for (var i = 0; i < points.Count; i++)
        {
            var x = left + (points.Count == 1 ? width / 2.0 : i * step);
            var y = top + height - ((double)points[i].Share * height);
            coordinates.Add(string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}"));
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\" fill=\"#2b6cb0\"><title>{E(points[i].Label)}: {E(Format(points[i].Share, FigureFormat.Percent))}</title></circle>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x - 20:0.#}\" y=\"{top + height + 16}\">{E(Clip(points[i].Label, 14))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 6:0.#}\" y=\"{y - 6:0.#}\">{E(Format(points[i].Share, FigureFormat.Percent))}</text>");
        }

        svg.Append("<polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"").Append(string.Join(' ', coordinates)).Append("\"/></svg>\n");
        _body.Append(svg);
        return this;
    }

    public string Render() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + E(_title) + "</title><style>" + Css + "</style></head><body>\n" + _body + "</body></html>\n";

    public string Write(string folder, string fileName)
    {
        var path = Path.Combine(folder, fileName);
        File.WriteAllText(path, Render(), new UTF8Encoding(false));
        return path;
    }

    public static string Format(decimal? value, FigureFormat format) => value switch
    {
        null => "–",
        { } v when format == FigureFormat.Percent => (v * 100m).ToString("0.0", CultureInfo.InvariantCulture) + " %",
        { } v when format == FigureFormat.Ratio => v.ToString("0.00", CultureInfo.InvariantCulture),
        { } v => v.ToString(decimal.Truncate(v) == v ? "#,##0" : "#,##0.##########", CultureInfo.InvariantCulture),
    };

    private static string Span(Figure figure) =>
        $"<span class=\"figure\" data-figure=\"{E(figure.JsonPath)}\" data-format=\"{figure.Format.ToString().ToLowerInvariant()}\">{E(Format(figure.Value, figure.Format))}</span>";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
