using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Commands;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Plans;
using PartnerGuard.Integration.Tests.Support;

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
    public async Task ReadAccountIds_PagedWithTheCookie_ReturnsTheSameIdsAsOnePage()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var file = Path.Combine(temp.Path, "all.xml");
        File.WriteAllText(file, "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/><filter><condition attribute='statecode' operator='eq' value='0'/></filter></entity></fetch>");
        var context = EmbeddedContexts.For(temp.Path, new StringWriter(), new StringWriter());
        var client = await DataverseConnector.ConnectAsync(context, connection: null, CancellationToken.None);

        var onePage = await AccountFetchFilter.Load(file, "all.xml").ReadAccountIdsAsync(client, CancellationToken.None);
        var paged = await AccountFetchFilter.Load(file, "all.xml", pageSize: 7).ReadAccountIdsAsync(client, CancellationToken.None);
        await context.Embedded!.CompleteAsync(ExitCodes.Done, context.Error);

        Assert.True(onePage.Count > 7 * 3, $"the demo org should have many active accounts; got {onePage.Count}");
        Assert.True(onePage.Count <= AccountFetchFilter.MaxPageSize);
        Assert.Equal(onePage.OrderBy(i => i), paged.OrderBy(i => i));
    }

    [Theory]
    [InlineData("this is not xml", "is not well-formed XML")]
    [InlineData("<fetch><entity name='contact'/></fetch>", "must query <entity name='account'>; it queries 'contact'")]
    [InlineData("<query><entity name='account'/></query>", "must be a <fetch> query")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='accountid' aggregate='count' alias='n'/></entity></fetch>", "aggregate='true' is not supported")]
    [InlineData("<fetch></fetch>", "exactly one <entity>")]
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

    [Fact]
    public async Task Plan_WithAMissingFetchXmlFile_ExitsOneNamingIt()
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = await PartnerGuardCli.InvokeAsync(new[] { "plan", "--strategy", "balanced", "--fetch-xml", "missing.xml" }, EmbeddedContexts.For(temp.Path, new StringWriter(), error));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--fetch-xml 'missing.xml' cannot be read", error.ToString());
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
