using PartnerGuard.Testing;
using System.Text.Json;
using PartnerGuard.Integration.Tests.Statements;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>The partner statement and the rules of engagement rendered in headless chromium, like the audit report.</summary>
public sealed partial class HtmlReportBrowserTests
{
    [Fact]
    public async Task StatementHtml_RenderedInABrowser_ShowsTheJsonNumbers()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        Assert.Equal(0, await cli.RunAsync("statement", "--partner", Scenario.Northwind.ToString("D"), "--output", "out"));
        var html = File.ReadAllText(cli.Path("out", "northwind-b0000000000000000000000000000001.html"));
        AssertSelfContained(html);

        var dom = await Chromium.DumpDomAsync(new Uri(cli.Path("out", "northwind-b0000000000000000000000000000001.html")), cli.Folder.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(cli.Path("out", "northwind-b0000000000000000000000000000001.json")));
        var checkedPaths = AssertFiguresMatch(dom, json.RootElement);
        foreach (var path in new[]
        {
            "$.totals.customers", "$.totals.load", "$.totals.openDeals", "$.totals.openValue", "$.totals.directDeals", "$.totals.directValue",
            "$.totals.conflicts", "$.totals.conflictValue", "$.partner.capacity", "$.fairness.loadSpread", "$.fairness.meanLoad",
            "$.deals[0].value", "$.deals[1].value", "$.directDeals[0].value", "$.conflicts[0].value", "$.runs[2].customersFromRun",
        })
        {
            Assert.Contains(path, checkedPaths);
        }

        // A name that is markup in the data is text on the page.
        Assert.Contains("&lt;b&gt;Iota&lt;/b&gt;", dom, StringComparison.Ordinal);
        Assert.Contains(">170,000<", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesOfEngagementHtml_RenderedInABrowser_IsSelfContainedAndEscaped()
    {
        using var cli = new TransparencyCli(StatementScenario.CreateOrg());
        Assert.Equal(0, await cli.RunAsync("rules", "publish", "--format", "html", "--output", "out"));
        var html = File.ReadAllText(cli.Path("out", "rules-of-engagement.html"));
        AssertSelfContained(html);

        var dom = await Chromium.DumpDomAsync(new Uri(cli.Path("out", "rules-of-engagement.html")), cli.Folder.Path);

        Assert.Contains("-Autumn | promo &lt;Q4&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("Customers located in Finland (FI), Sweden (SE).", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<q4>", dom, StringComparison.OrdinalIgnoreCase);
    }
}
