using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Dataverse;

/// <summary>
/// Issue #12 defect 9: an answer lost after the server applied a write is not answered by sending the same bulk
/// request again. The emulator's fault injection runs writes and then drops their answers (or refuses them with 503
/// before running); the gateway re-reads the batch and sends again only what is not yet applied, so every account's
/// versionnumber moves exactly once.
/// </summary>
public sealed class LostAnswerWriteTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryAnswerLost_EachAccountWrittenOnce_NoWriteSentTwice(bool updateMultiple)
    {
        var path = updateMultiple ? WritePath.UpdateMultiple : WritePath.Batch;
        var (org, partner, accounts) = Seed(20);
        var transport = FakeDataverseHandler.Over(DataverseWebApi.CreateHandler(org, Options(new FaultInjectionOptions { LostAnswerRate = 1 })));
        var gateway = new WebApiAccountGateway(WebApiTestHarness.Create(transport, out _), path);
        var before = Versions(org, accounts);

        var results = await gateway.WriteAsync(Changes(accounts, partner), CancellationToken.None);

        Assert.All(results, r => Assert.Equal(AccountOutcome.Applied, r.Outcome));
        AssertEachWrittenOnce(org, accounts, before);
        Assert.Single(transport.Requests, r => r.Method == HttpMethod.Post); // the write, sent once; then a re-read
        Assert.All(accounts, id => Assert.Equal(partner, org.GetService().Retrieve("account", id, new ColumnSet("pg_assignedpartnerid")).GetAttributeValue<EntityReference>("pg_assignedpartnerid").Id));
    }

    [Fact]
    public async Task AnswersLostOrRefused_AtRandom_EachAccountWrittenOnce_WithResendsOfWhatWasMissing()
    {
        var (org, partner, accounts) = Seed(60);
        var faults = new FaultInjectionOptions { Seed = 12, LostAnswerRate = 0.3, TransientFailureRate = 0.3 };
        var transport = FakeDataverseHandler.Over(DataverseWebApi.CreateHandler(org, Options(faults)));
        var gateway = new WebApiAccountGateway(WebApiTestHarness.Create(transport, out _), WritePath.UpdateMultiple);
        var before = Versions(org, accounts);

        foreach (var batch in accounts.Chunk(10))
        {
            var results = await gateway.WriteAsync(Changes(batch, partner), CancellationToken.None);
            Assert.All(results, r => Assert.Equal(AccountOutcome.Applied, r.Outcome));
        }

        AssertEachWrittenOnce(org, accounts, before);
        Assert.True(transport.Requests.Count(r => r.Method == HttpMethod.Post) > 6, "no write failed: the seed injected no fault on a write");
    }

    private static DataverseWebApiOptions Options(FaultInjectionOptions faults) => new()
    {
        ServiceProtection = new ServiceProtectionOptions { Enabled = false },
        Faults = faults,
    };

    private static (DataverseOrg Org, Guid Partner, List<Guid> Accounts) Seed(int count)
    {
        var org = SolutionOrg.Create(pluginAssembly: null).Org;
        var partner = org.Seed(new Entity("account") { ["name"] = "Fabrikam Partners", ["customertypecode"] = new OptionSetValue(5) });
        var accounts = org.Seed(Enumerable.Range(0, count).Select(i => new Entity("account") { ["name"] = $"Customer {i}", ["customertypecode"] = new OptionSetValue(3) })).ToList();
        return (org, partner, accounts);
    }

    private static List<AccountChange> Changes(IEnumerable<Guid> accounts, Guid partner) =>
        accounts.Select(id => new AccountChange(id, new AccountState(null, null, null, null, null), new AccountState(partner, null, null, Now, "lost-1"))).ToList();

    /// <summary>
    /// versionnumber is the org's row version: one counter, moved by every write of any row. The accounts were seeded
    /// last and nothing else is written here, so if each of the N accounts moved and all their new versions lie within
    /// the N values after the highest one before, there were exactly N writes: none was repeated.
    /// </summary>
    private static void AssertEachWrittenOnce(DataverseOrg org, List<Guid> accounts, Dictionary<Guid, long> before)
    {
        var after = Versions(org, accounts);
        var highest = before.Values.Max();
        Assert.All(accounts, id => Assert.True(after[id] > before[id], $"account {id} was not written"));
        Assert.All(accounts, id => Assert.InRange(after[id], highest + 1, highest + accounts.Count));
    }

    private static Dictionary<Guid, long> Versions(DataverseOrg org, IEnumerable<Guid> ids) =>
        ids.ToDictionary(id => id, id => (long)org.GetService().Retrieve("account", id, new ColumnSet("versionnumber"))["versionnumber"]);
}
