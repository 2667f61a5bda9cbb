using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// `--fetch-xml FILE` on plan: only accounts matching the FetchXML query are planned. Runs against the embedded
/// org (the emulator with PartnerGuard's solution and the demo data), whose Web API answers `accounts?fetchXml=`
/// with the paging cookie as webapi-notes §1.5 describes.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class FetchXmlFilterTests(SeededStateFixture seeded)
{
    private const string Germany = "<fetch><entity name='account'><filter><condition attribute='address1_country' operator='eq' value='Germany'/></filter></entity></fetch>";

    [Fact]
    public async Task Plan_WithFetchXml_PlansOnlyAccountsMatchingIt()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, "germany.xml"), Germany);

        var unfiltered = await PlanAsync(temp.Path, "all", Array.Empty<string>());
        var filtered = await PlanAsync(temp.Path, "de", new[] { "--fetch-xml", "germany.xml" });

        // The demo data spreads customers over several countries, so the unfiltered plan proves the filter narrows.
        Assert.Contains(unfiltered.Rows, r => !string.Equals(r.Country, "Germany", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(filtered.Rows);
        Assert.All(filtered.Rows, r => Assert.Equal("germany", r.Country?.ToLowerInvariant()));

        // Without caps every eligible account is planned, so the filtered plan is exactly the unfiltered plan's German rows.
        var plannedGermans = unfiltered.Rows.Where(r => string.Equals(r.Country, "Germany", StringComparison.OrdinalIgnoreCase)).Select(r => r.AccountId).ToHashSet();
        Assert.Equal(plannedGermans.Order(), filtered.Rows.Select(r => r.AccountId).Order());
    }

    [Fact]
    public async Task Candidates_PagedWithTheCookie_AreTheSameAccountsInTheSameOrderAsOnePage()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var file = Path.Combine(temp.Path, "all.xml");
        // The user's columns and order (by name) are dropped: the planner's own columns and order by accountid are used.
        File.WriteAllText(file, "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter><condition attribute='statecode' operator='eq' value='0'/></filter></entity></fetch>");
        var context = EmbeddedContexts.For(temp.Path, new StringWriter(), new StringWriter());
        var client = await DataverseConnector.ConnectAsync(context, connection: null, CancellationToken.None);
        var source = new PlanningSource(client);
        var settings = await source.ReadSettingsAsync(CancellationToken.None);
        var partners = await source.ReadPartnersAsync(settings, CancellationToken.None);

        var onePage = await All(source.ReadCandidatesAsync(settings, partners, NamedHierarchies.None, AccountFetchFilter.Load(file, "all.xml"), CancellationToken.None));
        var paged = await All(source.ReadCandidatesAsync(settings, partners, NamedHierarchies.None, AccountFetchFilter.Load(file, "all.xml", pageSize: 7), CancellationToken.None));
        var unfiltered = await All(source.ReadCandidatesAsync(settings, partners, NamedHierarchies.None, filter: null, CancellationToken.None));
        await context.Embedded!.CompleteAsync(ExitCodes.Done, context.Error);

        Assert.True(onePage.Count > 7 * 3, $"the demo org should have many candidate accounts; got {onePage.Count}");
        Assert.True(onePage.Count <= AccountFetchFilter.MaxPageSize);
        Assert.Equal(onePage, paged);
        Assert.Equal(onePage.Count, onePage.Select(a => a.Id).Distinct().Count());

        // A filter that every candidate matches gives the candidates of the plain query, in the same (server) order
        // and with the same values (owner table from the lookup annotation, revenue, parent-free ancestors, …).
        Assert.Equal(unfiltered, onePage);
        Assert.Contains(onePage, a => a.OwnerTable is not null && a.AnnualRevenueBase is not null);
    }

    [Fact]
    public async Task Candidates_WithALinkEntityThatRepeatsAccounts_ComeOnceEach()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var file = Path.Combine(temp.Path, "deals.xml");
        // Linking opportunities to their customer repeats an account once per opportunity (the demo data gives
        // customers several). The link-entity's own column is dropped and distinct='true' asks the server for one row per account.
        File.WriteAllText(file, "<fetch><entity name='account'><link-entity name='opportunity' from='customerid' to='accountid' link-type='inner'><attribute name='name'/></link-entity></entity></fetch>");
        var context = EmbeddedContexts.For(temp.Path, new StringWriter(), new StringWriter());
        var client = await DataverseConnector.ConnectAsync(context, connection: null, CancellationToken.None);
        var source = new PlanningSource(client);
        var settings = await source.ReadSettingsAsync(CancellationToken.None);
        var partners = await source.ReadPartnersAsync(settings, CancellationToken.None);

        var ids = await Ids(source.ReadCandidatesAsync(settings, partners, NamedHierarchies.None, AccountFetchFilter.Load(file, "deals.xml", pageSize: 3), CancellationToken.None));
        await context.Embedded!.CompleteAsync(ExitCodes.Done, context.Error);

        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void PageQuery_KeepsTheUsersConditionsAndLinks_AndAddsThePlannersColumnsConditionsAndOrder()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "q.xml");
        File.WriteAllText(file, "<fetch count='9' page='4'><entity name='account'><all-attributes/><order attribute='name' descending='true'/>"
            + "<filter type='or'><condition attribute='address1_country' operator='eq' value='Germany'/><condition attribute='address1_country' operator='eq' value='France'/></filter>"
            + "<link-entity name='systemuser' from='systemuserid' to='owninguser' alias='u'><attribute name='fullname'/><filter><condition attribute='isdisabled' operator='eq' value='0'/></filter></link-entity>"
            + "</entity></fetch>");
        var filter = AccountFetchFilter.Load(file, "q.xml", pageSize: 50);

        var query = System.Xml.Linq.XElement.Parse(filter.PageQuery(["accountid", "name"], [("statecode", "eq", "0"), ("pg_assignedpartnerid", "null", null)], 2, "<cookie page=\"1\"/>"));

        Assert.Equal("2", query.Attribute("page")?.Value);
        Assert.Equal("50", query.Attribute("count")?.Value);
        Assert.Equal("true", query.Attribute("distinct")?.Value);
        Assert.Equal("<cookie page=\"1\"/>", query.Attribute("paging-cookie")?.Value);
        var entity = query.Element("entity")!;
        Assert.Equal(["accountid", "name"], entity.Elements("attribute").Select(a => a.Attribute("name")!.Value));
        Assert.Empty(entity.Elements("all-attributes"));
        Assert.Equal(["accountid"], entity.Elements("order").Select(o => o.Attribute("attribute")!.Value));
        var and = Assert.Single(entity.Elements("filter"));
        Assert.Equal("and", and.Attribute("type")?.Value);
        Assert.Equal(["statecode", "pg_assignedpartnerid"], and.Elements("condition").Select(c => c.Attribute("attribute")!.Value));
        Assert.Equal("or", Assert.Single(and.Elements("filter")).Attribute("type")?.Value);
        var link = Assert.Single(entity.Elements("link-entity"));
        Assert.Empty(link.Elements("attribute"));
        Assert.Single(link.Elements("filter"));
    }

    private static async Task<List<Guid>> Ids(IAsyncEnumerable<PartnerGuard.Integration.Domain.Planning.AccountCandidate> accounts) =>
        (await All(accounts)).Select(a => a.Id).ToList();

    private static async Task<List<PartnerGuard.Integration.Domain.Planning.AccountCandidate>> All(IAsyncEnumerable<PartnerGuard.Integration.Domain.Planning.AccountCandidate> accounts)
    {
        var all = new List<PartnerGuard.Integration.Domain.Planning.AccountCandidate>();
        await foreach (var account in accounts)
        {
            all.Add(account);
        }

        return all;
    }

    [Theory]
    [InlineData("this is not xml", "is not well-formed XML")]
    [InlineData("<fetch><entity name='contact'/></fetch>", "must query <entity name='account'>; it queries 'contact'")]
    [InlineData("<query><entity name='account'/></query>", "must be a <fetch> query")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>", "aggregate='true' is not supported")]
    [InlineData("<fetch></fetch>", "exactly one <entity>")]
    // Issue #12 defect 7: a DTD is refused (its entities would silently become empty values), and a namespaced <fetch> says so.
    [InlineData("<!DOCTYPE fetch [<!ENTITY x SYSTEM 'file:///etc/hostname'>]><fetch><entity name='account'><filter><condition attribute='name' operator='eq' value='&x;'/></filter></entity></fetch>", "contains a DTD")]
    [InlineData("<fetch xmlns='urn:x'><entity name='account'/></fetch>", "its root element is <fetch xmlns='urn:x'>")]
    public async Task Plan_WithABadFetchXmlFile_ExitsOneNamingTheFileAndWritesNothing(string content, string problem)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "bad.xml"), content);
        var error = new StringWriter();
        var context = EmbeddedContexts.For(temp.Path, new StringWriter(), error);

        var code = await PartnerGuardCli.InvokeAsync(new[] { "plan", "--strategy", "balanced", "--run-id", "bad", "--fetch-xml", "bad.xml" }, context);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--fetch-xml 'bad.xml'", error.ToString());
        Assert.Contains(problem, error.ToString());
        Assert.False(File.Exists(Path.Combine(temp.Path, "bad.csv")));
        Assert.False(Directory.Exists(EmbeddedOrg.FolderFor(temp.Path)), "the file is checked before connecting, so no local org is created");
    }

    // Issue #12 defect 7: what only the server can find wrong in the user's query (400 from Dataverse) is bad input,
    // exit 1, not a failed connection (3); no plan is written.
    [Theory]
    [InlineData("<fetch><entity name='account'><filter><condition attribute='no_such_column' operator='eq' value='1'/></filter></entity></fetch>")]
    [InlineData("<fetch><entity name='account'><filter><condition attribute='name' operator='no-such-operator' value='1'/></filter></entity></fetch>")]
    [InlineData("<fetch><entity name='account'><link-entity name='no_such_table' from='x' to='accountid'/></entity></fetch>")]
    public async Task Plan_WithAFetchXmlTheServerRefuses_ExitsOne(string content)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "q.xml"), content);
        var error = new StringWriter();
        var context = EmbeddedContexts.For(temp.Path, new StringWriter(), error);

        var code = await PartnerGuardCli.InvokeAsync(new[] { "plan", "--strategy", "balanced", "--run-id", "q", "--out", "q.csv", "--fetch-xml", "q.xml" }, context);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("Dataverse refused the input", error.ToString());
        Assert.False(File.Exists(Path.Combine(temp.Path, "q.csv")));
    }

    [Fact]
    public async Task Plan_WithAMissingFetchXmlFile_ExitsOneNamingIt()
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "plan", "--strategy", "balanced", "--fetch-xml", "missing.xml" }, EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        // The path check now says plainly that the file is missing (it said "cannot be read" with the OS message).
        Assert.Contains("--fetch-xml 'missing.xml' does not exist", error.ToString());
    }

    private static async Task<Plan> PlanAsync(string directory, string runId, string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var args = new[] { "plan", "--strategy", "balanced", "--run-id", runId }.Concat(extra).ToArray();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(directory, output, error));
        Assert.True(code == ExitCodes.Done, $"plan exited {code}: {error}\n{output}");
        return PlanFiles.Read(Path.Combine(directory, runId + ".csv"));
    }
}
