using System.Text.Json;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Planning;

/// <summary>
/// PlanWave.WriteAsync against the embedded org (the emulator with the demo data): files, summary, and the
/// named-account rule with subsidiaries, whose hierarchy is read with the Web API's Under function.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class PlanOnTheDemoOrgTests(SeededStateFixture seeded)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_WritesBothFiles_LeavesTheHouseAccountsSubsidiariesDirect_AndIsRepeatable()
    {
        using var temp = new TempDirectory();
        seeded.CopyInto(temp.Path);
        var output = new StringWriter();
        var context = EmbeddedContexts.For(temp.Path, output, new StringWriter());
        var client = await DataverseConnector.ConnectAsync(context, connection: null, CancellationToken.None);
        var settings = new PlanSettings("wave-1", Now, PlanStrategy.Balanced);

        var first = await PlanWave.WriteAsync(context.UseCase, client, settings, Path.Combine(temp.Path, "first.csv"), CancellationToken.None);
        var second = await PlanWave.WriteAsync(context.UseCase, client, settings, Path.Combine(temp.Path, "second.csv"), CancellationToken.None);

        // Every account's parent, to find the house account's whole family independently of the planner.
        var parents = new Dictionary<Guid, Guid>();
        Guid? house = null;
        await foreach (var (id, name, parent) in client.QueryAsync(
            "accounts?$select=accountid,name,_parentaccountid_value",
            row => (row.GetProperty("accountid").GetGuid(), row.GetProperty("name").GetString(), row.TryGetProperty("_parentaccountid_value", out var p) && p.ValueKind == JsonValueKind.String ? p.GetGuid() : (Guid?)null),
            CancellationToken.None))
        {
            if (parent is { } value)
            {
                parents[id] = value;
            }

            if (name == DemoDataSet.HouseAccountName)
            {
                house = id;
            }
        }

        // The same planning without the hierarchies: then the subsidiaries look uncovered and some get planned,
        // so the check below is not empty.
        var source = new PlanningSource(client);
        var channel = await source.ReadSettingsAsync(CancellationToken.None);
        var rules = await source.ReadRulesAsync(CancellationToken.None);
        var partners = await source.ReadPartnersAsync(channel, CancellationToken.None);
        var hierarchies = await source.ReadNamedHierarchiesAsync(rules, CancellationToken.None);
        var blind = new PlanRun.ListSink();
        await PlanBuilder.BuildAsync(source.ReadCandidatesAsync(channel, partners, NamedHierarchies.None, null, CancellationToken.None), partners, settings, blind, new PolicyDirectSalesCoverage(rules, channel, Now));
        await context.Embedded!.CompleteAsync(ExitCodes.Done, context.Error);

        var plan = PlanFiles.Read(first.CsvPath);
        Assert.Equal(Path.Combine(temp.Path, "first.json"), first.JsonPath);
        Assert.Equal(plan.Rows.Count, first.Rows);
        Assert.Equal(plan.Rows.Select(r => r.NewPartnerId).Distinct().Count(), first.Partners);
        Assert.True(first.Rows > 50, $"the demo org has many eligible customers; planned {first.Rows}");
        Assert.Equal(File.ReadAllBytes(first.CsvPath), File.ReadAllBytes(second.CsvPath));
        Assert.Equal(File.ReadAllBytes(first.JsonPath), File.ReadAllBytes(second.JsonPath));
        Assert.Equal(["first.csv", "first.json", "second.csv", "second.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName).Where(f => f!.StartsWith("first", StringComparison.Ordinal) || f!.StartsWith("second", StringComparison.Ordinal)).Order());

        // The house account's subsidiaries (one two levels down) are covered by its rule: none is planned.
        Assert.NotNull(house);
        bool Under(Guid id)
        {
            var seen = new HashSet<Guid>();
            while (parents.TryGetValue(id, out var parent) && seen.Add(parent))
            {
                if (parent == house)
                {
                    return true;
                }

                id = parent;
            }

            return false;
        }

        var family = parents.Keys.Where(Under).ToList();
        Assert.True(family.Count >= 2, $"the demo house account has subsidiaries; found {family.Count}");
        Assert.Contains(family, id => parents[id] != house);
        Assert.Equal(family.Count, hierarchies.Count);
        Assert.DoesNotContain(plan.Rows, r => r.AccountId == house || family.Contains(r.AccountId));
        Assert.Contains(blind.Rows, r => family.Contains(r.AccountId));
    }
}
