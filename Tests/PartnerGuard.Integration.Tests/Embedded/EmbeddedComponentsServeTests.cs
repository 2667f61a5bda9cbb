using System.Text.Json;
using System.Xml.Linq;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Testing;
using Model = PartnerGuard.SolutionModel;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// The embedded default org shows PartnerGuard's model-driven components (issue #13, item 7): started as
/// `partnerguard emulator serve` starts it, its Web API lists the solution's views, charts, forms, dashboard and app,
/// each found by the id and name it has in solution/src (read here from the files, not from the org).
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class EmbeddedComponentsServeTests(SeededStateFixture seeded)
{
    /// <summary>A guard against a hang if the server never gets ready; not a timing assertion.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Serve_OverTheEmbeddedDefaultOrg_ListsTheSolutionsViewsChartsFormsDashboardAndApp()
    {
        var source = ReadSource();
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new SignallingWriter(EmulatorServeCommand.ReadyLine);
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();

        var serving = PartnerGuardCli.InvokeAsync(["emulator", "serve", "--urls", "http://127.0.0.1:0"], EmbeddedContexts.For(temp.Path, output, error), stop.Token);
        await Task.WhenAny(output.Seen, serving).WaitAsync(HangGuard);
        Assert.True(output.Seen.IsCompleted, $"not ready: {output}{error}");
        var baseAddress = new Uri(output.ToString().Split('\n').Single(l => l.StartsWith("Serving the Dataverse Web API at ", StringComparison.Ordinal)).Split(' ')[6]);

        try
        {
            using var http = new HttpClient { BaseAddress = baseAddress };

            // The README's demo request: the opportunity views, exactly the solution's.
            var opportunityViews = await Rows(http, "savedqueries?$select=savedqueryid,name,returnedtypecode&$filter=returnedtypecode eq 'opportunity'");
            Assert.Equal(source.Views.Where(v => v.Table == "opportunity").Select(v => (v.Id, v.Name)).Order(), opportunityViews.Select(r => (Id(r, "savedqueryid"), Name(r))).Order());
            Assert.Equal(6, opportunityViews.Count);

            var views = await Rows(http, "savedqueries?$select=savedqueryid,name,returnedtypecode");
            Assert.All(source.Views, v => Assert.Contains(views, r => Id(r, "savedqueryid") == v.Id && Name(r) == v.Name && r.GetProperty("returnedtypecode").GetString() == v.Table));

            var charts = await Rows(http, "savedqueryvisualizations?$select=savedqueryvisualizationid,name,primaryentitytypecode");
            Assert.Equal(source.Charts.Select(c => (c.Id, c.Name, c.Table)).Order(),
                charts.Select(r => (Id(r, "savedqueryvisualizationid"), Name(r), r.GetProperty("primaryentitytypecode").GetString()!)).Order());

            var forms = await Rows(http, "systemforms?$select=formid,name,type,objecttypecode");
            Assert.All(source.Forms, f => Assert.Contains(forms, r => Id(r, "formid") == f.Id && Name(r) == f.Name && r.GetProperty("objecttypecode").GetString() == f.Table && r.GetProperty("type").GetInt32() == 2));
            var dashboard = Assert.Single(forms, r => r.GetProperty("type").GetInt32() == 0);
            Assert.Equal((source.Dashboard.Id, source.Dashboard.Name), (Id(dashboard, "formid"), Name(dashboard)));

            var app = Assert.Single(await Rows(http, "appmodules?$select=name,uniquename&$filter=uniquename eq 'pg_PartnerGuard'"));
            Assert.Equal(source.AppName, Name(app));
            Assert.Single(await Rows(http, "sitemaps?$select=sitemapnameunique&$filter=sitemapnameunique eq 'pg_PartnerGuard'"));
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(ExitCodes.Done, await serving.WaitAsync(HangGuard));
        }
    }

    private sealed record Component(Guid Id, string Name, string Table);

    private sealed record Expected(List<Component> Views, List<Component> Charts, List<Component> Forms, Component Dashboard, string AppName);

    /// <summary>The components as solution/src declares them: ids from their files, names from their LocalizedName.</summary>
    private static Expected ReadSource()
    {
        var problems = new List<Model.SourceProblem>();
        var source = Model.SolutionSource.Read(RepoPaths.SolutionSource, problems);
        Assert.Empty(problems);

        static string LocalizedName(XElement component) => (string)component.Descendants("LocalizedName").First().Attribute("description")!;
        static Guid IdIn(XElement component, string element) => Guid.Parse((string)component.Element(element)!);

        var views = source.Entities.SelectMany(e => e.SavedQueries.SelectMany(d => d.Root.Elements("savedquery")).Select(q => new Component(IdIn(q, "savedqueryid"), LocalizedName(q), e.LogicalName))).ToList();
        var charts = source.Entities.SelectMany(e => e.Visualizations.Select(d => new Component(IdIn(d.Root, "savedqueryvisualizationid"), LocalizedName(d.Root), e.LogicalName))).ToList();
        var forms = source.Entities.SelectMany(e => e.Forms.Where(f => !f.IsManagedVariant).SelectMany(f => f.Document.Root.Elements("systemform")).Select(f => new Component(IdIn(f, "formid"), LocalizedName(f), e.LogicalName))).ToList();
        var dashboard = Assert.Single(source.Dashboards).Root;
        var app = Assert.Single(source.AppModules).Root;
        return new Expected(views, charts, forms, new Component(IdIn(dashboard, "FormId"), LocalizedName(dashboard), "none"), LocalizedName(app));
    }

    private static async Task<List<JsonElement>> Rows(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("value").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static Guid Id(JsonElement row, string property) => row.GetProperty(property).GetGuid();

    private static string Name(JsonElement row) => row.GetProperty("name").GetString()!;
}
