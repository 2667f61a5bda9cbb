using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Testing;

namespace PartnerGuard.Solution.Tests;

/// <summary>
/// The figures each of the solution's charts draws (issue #13), on a small org built by hand below: every chart's
/// aggregate FetchXML, alone and with the view the Channel health dashboard shows it with, over the SDK and over the
/// Web API (<c>?fetchXml=</c>), against counts and sums worked out by hand in <see cref="Expected"/>.
/// Aggregation follows Microsoft Learn, "Aggregate data using FetchXml"
/// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data): a group-by column's null is a group
/// of its own, "null values aren't considered when calculating aggregate values" (a deal without an estimated value adds
/// nothing to a sum but is counted by <c>count</c>, which counts rows), and a group whose rows are all filtered out does
/// not appear. A chart shown with a view charts that view's records: its FetchXML runs with the view's filters and joins
/// (<see cref="OverView"/>).
/// </summary>
public sealed class ChartFiguresTests : IDisposable
{
    private const int Partner = 723100000;
    private const int Direct = 723100001;
    private const int Unresolved = 723100002;
    private const int Bypassed = 723100003;

    private static readonly Dictionary<int, string> Channels = new()
    {
        [Partner] = "Partner", [Direct] = "Direct", [Unresolved] = "Unresolved", [Bypassed] = "Bypassed",
    };

    private static readonly Dictionary<string, string> EntitySets = new(StringComparer.Ordinal)
    {
        ["opportunity"] = "opportunities", ["account"] = "accounts",
    };

    private readonly DataverseOrg _org;
    private readonly HttpClient _http;

    /// <summary>The name of every seeded row by id, so lookup groups read as names.</summary>
    private readonly Dictionary<Guid, string> _names = [];

    public ChartFiguresTests()
    {
        _org = DataverseOrg.Create();
        _org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);
        Seed();
        _http = new HttpClient(DataverseWebApi.CreateHandler(new DataverseWebApiServer(_org))) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One bar of a chart: the group ("(none)" for the null group), how many rows, and the summed value where the chart sums one.</summary>
    public sealed record Figure(string Group, int Count, decimal? Value);

    /// <summary>
    /// Each chart's figures on <see cref="Seed"/>'s rows, worked out by hand from the table there; alone, and with the
    /// view the dashboard shows it with. A chart's bars are unordered (its FetchXML has no order), so they are compared as sets.
    /// </summary>
    private static readonly Dictionary<string, (Figure[] Alone, Figure[] WithView)> Expected = new(StringComparer.Ordinal)
    {
        // Open deals (statecode 0) by channel; "P won" and "D won" are closed. Partner: P1 1,000 + P2 2,500. Direct:
        // D1 10,000 + D3 700 + D4 300. Unresolved: U1 200 + U2 (no value: counted, not summed). Bypassed: B1 50.
        // No channel recorded: N1 900 + N2 (no value), the null group, which the view "Deals by channel" (channel
        // not null) leaves out.
        ["Channel mix of open deals"] = (
            [new("Partner", 2, 3_500m), new("Direct", 3, 11_000m), new("Unresolved", 2, 200m), new("Bypassed", 1, 50m), new("(none)", 2, 900m)],
            [new("Partner", 2, 3_500m), new("Direct", 3, 11_000m), new("Unresolved", 2, 200m), new("Bypassed", 1, 50m)]),

        // Direct deals, open or closed, by rule: Enterprise D1 and D won; Japan D3; D4 recorded without a rule (the null
        // group). The view "Deals handled direct, by rule" has the chart's own filter, so the figures are the same.
        ["Direct deals by rule"] = (
            [new("Enterprise", 2, null), new("Japan", 1, null), new("(none)", 1, null)],
            [new("Enterprise", 2, null), new("Japan", 1, null), new("(none)", 1, null)]),

        // Active accounts with an assigned partner, by partner: Northwind has Alpha and Beta (Delta is inactive),
        // Fabrikam has Gamma; Epsilon has none and is not counted (no null group: the chart filters it out).
        ["Customers per partner"] = (
            [new("Northwind", 2, null), new("Fabrikam", 1, null)],
            [new("Northwind", 2, null), new("Fabrikam", 1, null)]),
    };

    [Fact]
    public void EveryChart_HasHandComputedFigures_AndIsShownOnTheDashboardWithAView()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), Charts().Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryChart_OverTheSdk_DrawsTheHandComputedFigures()
    {
        foreach (var chart in Charts())
        {
            var (alone, withView) = Expected[chart.Name];
            AssertFigures(alone, Sdk(chart.Fetch), $"'{chart.Name}' alone");
            AssertFigures(withView, Sdk(OverView(chart.Fetch, chart.ViewFetch)), $"'{chart.Name}' with its view");
        }
    }

    [Fact]
    public async Task EveryChart_OverTheWebApi_DrawsTheHandComputedFigures()
    {
        foreach (var chart in Charts())
        {
            var (alone, withView) = Expected[chart.Name];
            AssertFigures(alone, await WebApi(chart.Table, chart.Fetch), $"'{chart.Name}' alone, over the Web API");
            AssertFigures(withView, await WebApi(chart.Table, OverView(chart.Fetch, chart.ViewFetch)), $"'{chart.Name}' with its view, over the Web API");
        }
    }

    /// <summary>
    /// The query a chart runs when it is shown with a view: the chart's aggregate FetchXML restricted by the view's
    /// filters and joins. The view's columns and sort are left out (an aggregate query names only grouped or
    /// aggregated columns, and orders only by their aliases).
    /// </summary>
    private static string OverView(string chartFetch, string viewFetch)
    {
        var fetch = XElement.Parse(chartFetch);
        var entity = fetch.Element("entity")!;
        var view = XElement.Parse(viewFetch).Element("entity")!;
        foreach (var filter in view.Elements("filter"))
        {
            entity.Add(new XElement(filter));
        }

        foreach (var link in view.Elements("link-entity"))
        {
            var join = new XElement(link);
            join.Descendants().Where(e => e.Name == "attribute" || e.Name == "order").Remove();
            entity.Add(join);
        }

        return fetch.ToString(SaveOptions.DisableFormatting);
    }

    private sealed record Chart(string Name, string Table, string Fetch, string ViewFetch);

    /// <summary>The charts as the org stores them (savedqueryvisualization rows), each with the view the dashboard shows it with.</summary>
    private List<Chart> Charts()
    {
        var service = _org.GetService();
        var dashboard = Assert.Single(service.RetrieveMultiple(new QueryExpression("systemform")
        {
            ColumnSet = new ColumnSet("formxml"),
            Criteria = { Conditions = { new ConditionExpression("type", ConditionOperator.Equal, 0) } },
        }).Entities);
        var viewOfChart = XElement.Parse(dashboard.GetAttributeValue<string>("formxml")).Descendants("parameters")
            .Where(p => p.Element("VisualizationId") is not null)
            .ToDictionary(p => Guid.Parse((string)p.Element("VisualizationId")!), p => Guid.Parse((string)p.Element("ViewId")!));

        var charts = service.RetrieveMultiple(new QueryExpression("savedqueryvisualization") { ColumnSet = new ColumnSet("name", "primaryentitytypecode", "datadescription") }).Entities;
        return charts.Select(c =>
        {
            var name = c.GetAttributeValue<string>("name");
            Assert.True(viewOfChart.TryGetValue(c.Id, out var viewId), $"chart '{name}' is on no dashboard with a view");
            var view = service.Retrieve("savedquery", viewId, new ColumnSet("fetchxml", "returnedtypecode"));
            var table = c.GetAttributeValue<string>("primaryentitytypecode");
            Assert.Equal(table, view.GetAttributeValue<string>("returnedtypecode"));
            var fetch = XElement.Parse(c.GetAttributeValue<string>("datadescription")).Descendants("fetch").Single();
            return new Chart(name, table, fetch.ToString(SaveOptions.DisableFormatting), view.GetAttributeValue<string>("fetchxml"));
        }).ToList();
    }

    private List<Figure> Sdk(string fetchXml)
    {
        var rows = _org.GetService().RetrieveMultiple(new FetchExpression(fetchXml)).Entities;
        return rows.Select(r => new Figure(
            GroupName(r.Contains("groupby_column") ? Assert.IsType<AliasedValue>(r["groupby_column"]).Value : null),
            (int)Assert.IsType<AliasedValue>(r["count_column"]).Value!,
            r.Contains("value_column") ? Assert.IsType<Money>(((AliasedValue)r["value_column"]).Value).Value : null)).ToList();
    }

    private async Task<List<Figure>> WebApi(string table, string fetchXml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{EntitySets[table]}?fetchXml={Uri.EscapeDataString(fetchXml)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-MaxVersion", "4.0");
        request.Headers.Add("OData-Version", "4.0");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");

        return JsonDocument.Parse(text).RootElement.GetProperty("value").EnumerateArray().Select(r => new Figure(
            GroupName(r.TryGetProperty("groupby_column", out var group)
                ? group.ValueKind == JsonValueKind.Number ? new OptionSetValue(group.GetInt32()) : new EntityReference("account", group.GetGuid())
                : null),
            r.GetProperty("count_column").GetInt32(),
            r.TryGetProperty("value_column", out var value) ? value.GetDecimal() : null)).ToList();
    }

    /// <summary>A group value as the chart labels it: a channel's label, a lookup's row name, "(none)" for null.</summary>
    private string GroupName(object? value) => value switch
    {
        null => "(none)",
        OptionSetValue option => Channels[option.Value],
        EntityReference reference => _names[reference.Id],
        _ => throw new Xunit.Sdk.XunitException($"unexpected group value {value}"),
    };

    private static void AssertFigures(Figure[] expected, List<Figure> actual, string what)
    {
        var want = expected.OrderBy(f => f.Group, StringComparer.Ordinal).ToList();
        var got = actual.OrderBy(f => f.Group, StringComparer.Ordinal).ToList();
        Assert.True(want.SequenceEqual(got), $"{what}: got [{string.Join(", ", got)}], worked out by hand [{string.Join(", ", want)}]");
    }

    /// <summary>
    /// The rows behind <see cref="Expected"/>:
    /// <code>
    /// accounts  Northwind (partner 5), Fabrikam (reseller 9)
    ///           Alpha → Northwind, Beta → Northwind, Gamma → Fabrikam, Delta → Northwind (inactive), Epsilon (none)
    /// rules     Enterprise, Japan
    /// deals     name    channel     rule        value    state
    ///           P1      Partner                 1,000    open
    ///           P2      Partner                 2,500    open
    ///           P won   Partner                 4,000    won
    ///           D1      Direct      Enterprise  10,000   open
    ///           D won   Direct      Enterprise  5,000    won
    ///           D3      Direct      Japan       700      open
    ///           D4      Direct      (none)      300      open
    ///           U1      Unresolved              200      open
    ///           U2      Unresolved              (none)   open
    ///           B1      Bypassed                50       open
    ///           N1      (none)                  900      open
    ///           N2      (none)                  (none)   open
    /// </code>
    /// </summary>
    private void Seed()
    {
        var service = _org.GetService();
        Guid Named(Entity row, string name)
        {
            var id = _org.Seed(row);
            _names[id] = name;
            return id;
        }

        Guid Account(string name, int type, Guid? partner = null)
        {
            var account = new Entity("account") { ["name"] = name, ["customertypecode"] = new OptionSetValue(type) };
            if (partner is { } p)
            {
                account["pg_assignedpartnerid"] = new EntityReference("account", p);
            }

            return Named(account, name);
        }

        var northwind = Account("Northwind", 5);
        var fabrikam = Account("Fabrikam", 9);
        var alpha = Account("Alpha", 3, northwind);
        Account("Beta", 3, northwind);
        Account("Gamma", 3, fabrikam);
        var delta = Account("Delta", 3, northwind);
        service.Update(new Entity("account", delta) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });
        Account("Epsilon", 3);

        var enterprise = Named(new Entity("pg_directsalesrule") { ["pg_name"] = "Enterprise" }, "Enterprise");
        var japan = Named(new Entity("pg_directsalesrule") { ["pg_name"] = "Japan" }, "Japan");

        void Deal(string name, int? channel, decimal? value, Guid? rule = null, bool won = false)
        {
            var deal = new Entity("opportunity") { ["name"] = name, ["customerid"] = new EntityReference("account", alpha) };
            if (channel is { } c)
            {
                deal["pg_channel"] = new OptionSetValue(c);
            }

            if (value is { } v)
            {
                deal["estimatedvalue"] = new Money(v);
            }

            if (rule is { } r)
            {
                deal["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", r);
            }

            var id = Named(deal, name);
            if (won)
            {
                service.Update(new Entity("opportunity", id) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(3) });
            }
        }

        Deal("P1", Partner, 1_000m);
        Deal("P2", Partner, 2_500m);
        Deal("P won", Partner, 4_000m, won: true);
        Deal("D1", Direct, 10_000m, enterprise);
        Deal("D won", Direct, 5_000m, enterprise, won: true);
        Deal("D3", Direct, 700m, japan);
        Deal("D4", Direct, 300m);
        Deal("U1", Unresolved, 200m);
        Deal("U2", Unresolved, null);
        Deal("B1", Bypassed, 50m);
        Deal("N1", null, 900m);
        Deal("N2", null, null);
    }
}
