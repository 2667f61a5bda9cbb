using System.Text;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// `apply --attach-open-opportunities` against the embedded org: the emulator with PartnerGuard's solution (the
/// channel plugin registered on opportunity Update) and the demo data, whose open deals on unassigned customers
/// partly name a partner and partly none (DemoDataSet.AddOpenDeals).
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class AttachOpenOpportunitiesTests(SeededStateFixture seeded)
{
    private sealed record Deal(Guid Id, Guid? Customer, Guid? Partner, int State, int? Channel, string? Reason);

    [Fact]
    public async Task Apply_WithAttach_PutsTheNewPartnerOnOpenDealsWithoutOne_AndThePluginRecordsPartner()
    {
        using var temp = new TempDirectory();
        var folder = seeded.CopyInto(temp.Path);
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, "plan", "--strategy", "balanced", "--run-id", "w1"));
        var plan = PlanFiles.Read(Path.Combine(temp.Path, "w1.csv"));
        var planned = plan.Rows.ToDictionary(r => r.AccountId, r => r.NewPartnerId);

        var before = await ReadDealsAsync(folder);
        var onPlanned = before.Where(d => d.Customer is { } c && planned.ContainsKey(c)).ToList();
        var toAttach = onPlanned.Where(d => d.State == 0 && d.Partner is null).ToList();
        var withOther = onPlanned.Where(d => d.Partner is not null).ToList();
        Assert.NotEmpty(toAttach);
        Assert.NotEmpty(withOther);

        var output = new StringWriter();
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, output, "apply", "--plan", "w1.csv", "--yes", "--attach-open-opportunities", "--output", "rep"));

        var after = (await ReadDealsAsync(folder)).ToDictionary(d => d.Id);
        foreach (var deal in toAttach)
        {
            var now = after[deal.Id];
            Assert.Equal(planned[deal.Customer!.Value], now.Partner);

            // DESIGN §1 step 2: a deal naming an active partner (here the customer's assigned one) is decided Partner,
            // and the decision is written onto the deal in the same update.
            Assert.Equal(ChannelOptionValues.Partner, now.Channel);
            Assert.False(string.IsNullOrWhiteSpace(now.Reason));
            Assert.NotEqual(deal.Reason, now.Reason);
        }

        foreach (var deal in withOther)
        {
            Assert.Equal(deal.Partner, after[deal.Id].Partner);
            Assert.Equal(deal.Channel, after[deal.Id].Channel);
        }

        // Deals of accounts outside the plan are untouched.
        foreach (var deal in before.Where(d => d.Customer is not { } c || !planned.ContainsKey(c)))
        {
            Assert.Equal(deal.Partner, after[deal.Id].Partner);
        }

        var report = File.ReadAllLines(Path.Combine(temp.Path, "rep", "w1.apply.opportunities.csv"));
        Assert.Equal(toAttach.Count, report.Skip(1).Count(l => l.Contains(",attached,", StringComparison.Ordinal)));
        Assert.Contains("undo does not detach", output.ToString());

        // Re-running the same command is safe: the attach journal records every chunk of accounts as settled, so no
        // deal is selected or written again; the report of the run is rebuilt from the journal (the same rows).
        var again = new StringWriter();
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, again, "apply", "--plan", "w1.csv", "--yes", "--attach-open-opportunities", "--output", "rep2"));
        Assert.Equal(report, File.ReadAllLines(Path.Combine(temp.Path, "rep2", "w1.apply.opportunities.csv")));
        Assert.Contains("0 attached", again.ToString());
        Assert.Contains($"the report also lists {toAttach.Count} attached and 0 failed by an earlier session", again.ToString());
        var unchanged = (await ReadDealsAsync(folder)).ToDictionary(d => d.Id);
        Assert.All(after.Values, d => Assert.Equal(d, unchanged[d.Id]));
    }

    [Fact]
    public async Task Apply_WithAttach_RerunWithoutJournal_SelectsNoDealTwice()
    {
        // The second line of defence: with the attach journal gone, the selection (open, no partner) finds nothing.
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, "plan", "--strategy", "balanced", "--run-id", "w2"));
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, "apply", "--plan", "w2.csv", "--yes", "--attach-open-opportunities", "--output", "rep", "--journal-dir", "j"));
        Assert.True(File.ReadAllLines(Path.Combine(temp.Path, "rep", "w2.apply.opportunities.csv")).Length > 1);
        File.Delete(Path.Combine(temp.Path, "j", "w2.attach.journal"));

        var again = new StringWriter();
        Assert.Equal(ExitCodes.Done, await CliAsync(temp.Path, again, "apply", "--plan", "w2.csv", "--yes", "--attach-open-opportunities", "--output", "rep2", "--journal-dir", "j"));
        Assert.Single(File.ReadAllLines(Path.Combine(temp.Path, "rep2", "w2.apply.opportunities.csv")));
        Assert.Contains("0 attached", again.ToString());
    }

    private static async Task<List<Deal>> ReadDealsAsync(string folder)
    {
        var session = new EmbeddedOrgSession(folder, TextWriter.Null, TimeProvider.System);
        var (url, transport) = await session.ConnectAsync(CancellationToken.None);
        using var http = new HttpClient(transport) { BaseAddress = new Uri(url, "api/data/v9.2/") };
        var deals = new List<Deal>();
        string? next = "opportunities?$select=opportunityid,_customerid_value,_pg_partnerid_value,statecode,pg_channel,pg_channelreason";
        while (next is not null)
        {
            var page = JsonNode.Parse(await http.GetStringAsync(next))!;
            foreach (var row in page["value"]!.AsArray())
            {
                deals.Add(new Deal(
                    row!["opportunityid"]!.GetValue<Guid>(),
                    row["_customerid_value"]?.GetValue<Guid>(),
                    row["_pg_partnerid_value"]?.GetValue<Guid>(),
                    row["statecode"]!.GetValue<int>(),
                    row["pg_channel"]?.GetValue<int>(),
                    row["pg_channelreason"]?.GetValue<string>()));
            }

            next = page["@odata.nextLink"]?.GetValue<string>();
        }

        await session.CompleteAsync(ExitCodes.Done, TextWriter.Null);
        session.Dispose();
        return deals;
    }

    private static Task<int> CliAsync(string directory, params string[] args) => CliAsync(directory, new StringWriter(), args);

    private static async Task<int> CliAsync(string directory, StringWriter output, params string[] args)
    {
        var error = new StringWriter();
        var code = await PartnerGuardCli.InvokeAsync(args, EmbeddedContexts.For(directory, output, error));
        if (code != ExitCodes.Done)
        {
            await Console.Error.WriteLineAsync(new StringBuilder().Append(string.Join(' ', args)).Append(" → ").Append(code).Append('\n').Append(error).Append(output).ToString());
        }

        return code;
    }
}
