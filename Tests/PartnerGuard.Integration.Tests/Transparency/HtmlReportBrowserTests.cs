using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>
/// Renders the HTML summaries in headless chromium and checks that the page a channel manager sees shows the
/// numbers of the JSON report: every element marked data-figure="JSON path" is looked up in the JSON.
/// </summary>
public sealed partial class HtmlReportBrowserTests
{
    [Fact]
    public async Task AuditHtml_RenderedInABrowser_ShowsTheJsonNumbersAndCharts()
    {
        using var cli = new TransparencyCli();
        Assert.Equal(0, await cli.RunAsync("audit", "--output", "out"));
        var html = File.ReadAllText(cli.Path("out", "audit.html"));
        AssertSelfContained(html);

        var dom = await Chromium.DumpDomAsync(new Uri(cli.Path("out", "audit.html")), cli.Folder.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "audit.json")));
        var checkedPaths = AssertFiguresMatch(dom, json.RootElement);
        foreach (var path in new[]
        {
            "$.coverage.open.deals", "$.coverage.open.value", "$.coverage.dealShareWithPartner", "$.coverage.valueShareWithPartner",
            "$.coverage.directByRule[0].deals", "$.leakage.total.deals", "$.leakage.total.value", "$.conflicts.total.deals",
            "$.distribution.partners[0].load", "$.distribution.fairness.loadSpread", "$.progress.eligibleLeft", "$.progress.runs",
            "$.progress.waves[1].assignedShareByThen",
        })
        {
            Assert.Contains(path, checkedPaths);
        }

        // The scenario's 1,430,000 open pipeline and its 12.6 % partner share, as a reader sees them.
        Assert.Contains(">1,430,000<", dom, StringComparison.Ordinal);
        Assert.Contains(">12.6 %<", dom, StringComparison.Ordinal);
        // Charts drawn in the page: one bar per partner and per direct-sales rule, one point per run.
        Assert.Equal(3 + 3, BarPattern().Matches(dom).Count);
        Assert.Equal(2, PointPattern().Matches(dom).Count);
        // A capacity tick for Fabrikam and Northwind; Tailspin has no cap.
        Assert.Equal(2, MarkerPattern().Matches(dom).Count);
    }

    [Fact]
    public async Task SimulateHtml_RenderedInABrowser_ShowsTheJsonNumbers()
    {
        using var cli = new TransparencyCli();
        File.WriteAllText(cli.Path("draft.json"), Scenario.DraftJson);
        Assert.Equal(0, await cli.RunAsync("simulate", "--rules", "draft.json", "--output", "sim"));
        AssertSelfContained(File.ReadAllText(cli.Path("sim", "simulate.html")));

        var dom = await Chromium.DumpDomAsync(new Uri(cli.Path("sim", "simulate.html")), cli.Folder.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("sim", "simulate.json")));
        var checkedPaths = AssertFiguresMatch(dom, json.RootElement);
        Assert.Equal(10, checkedPaths.Count); // count and value of the five kinds of change
        Assert.Contains(">620,000<", dom, StringComparison.Ordinal);
        Assert.Contains("Finland direct", dom, StringComparison.Ordinal);
    }

    /// <summary>Each data-figure element's text equals the JSON value at its path, formatted as data-format says.</summary>
    private static List<string> AssertFiguresMatch(string dom, JsonElement root)
    {
        var paths = new List<string>();
        foreach (Match match in FigurePattern().Matches(dom))
        {
            var path = WebUtility.HtmlDecode(match.Groups["path"].Value);
            var format = match.Groups["format"].Value;
            var text = WebUtility.HtmlDecode(match.Groups["text"].Value);
            var value = Resolve(root, path);
            if (value.ValueKind == JsonValueKind.Null)
            {
                Assert.True(text == "–", $"{path} is null in the JSON but the page shows '{text}'.");
            }
            else
            {
                var expected = value.GetDecimal();
                var shown = format switch
                {
                    "percent" => decimal.Parse(text.Replace(" %", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture) / 100m,
                    _ => decimal.Parse(text.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture),
                };
                var tolerance = format switch { "percent" => 0.0005m, "ratio" => 0.005m, _ => 0m };
                Assert.True(Math.Abs(shown - expected) <= tolerance, $"{path}: the page shows '{text}', the JSON has {expected}.");
            }

            paths.Add(path);
        }

        Assert.NotEmpty(paths);
        return paths;
    }

    private static JsonElement Resolve(JsonElement root, string path)
    {
        var current = root;
        foreach (Match step in PathStep().Matches(path))
        {
            current = step.Groups["name"].Success ? current.GetProperty(step.Groups["name"].Value) : current[int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture)];
        }

        return current;
    }

    private static void AssertSelfContained(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        // The only URL allowed is the SVG namespace name, which is an identifier, not a fetched resource.
        Assert.DoesNotContain(Regex.Matches(html, "https?://[^\"]*"), m => m.Value != "http://www.w3.org/2000/svg");
    }

    [GeneratedRegex("<span class=\"figure\" data-figure=\"(?<path>[^\"]+)\" data-format=\"(?<format>[a-z]+)\">(?<text>[^<]*)</span>")]
    private static partial Regex FigurePattern();

    [GeneratedRegex(@"\.(?<name>[A-Za-z]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathStep();

    [GeneratedRegex("<rect class=\"bar\"")]
    private static partial Regex BarPattern();

    [GeneratedRegex("<circle class=\"point\"")]
    private static partial Regex PointPattern();

    [GeneratedRegex("<line class=\"marker\"")]
    private static partial Regex MarkerPattern();
}
