using System.Collections.Concurrent;
using System.Globalization;
using Azure.Core;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Cli;

/// <summary>
/// Scale-out across application users (README "Kubernetes"; issue 16): `distribute --shard I/N` run as N jobs side by
/// side, each signed in as its own application user, against one emulator server. Service protection counts per user
/// ("Service protection API limits": limits are evaluated per user), so each shard has a budget of its own; the shards
/// must still write every eligible account exactly once between them. Checked on the wire (every write request's
/// account ids, counted) and in the org afterwards (each account's partner set, and modified by the user of the shard
/// its id hashes to).
/// </summary>
public sealed partial class ShardedDistributeTests
{
    /// <summary>
    /// The command line of shard <paramref name="index"/> of <paramref name="count"/>, as the README's Kubernetes indexed
    /// Job runs it (KubernetesManifestTests checks the manifest against this); the connection comes from
    /// PARTNERGUARD_CONNECTION, as the Job's secret provides it.
    /// </summary>
    public static string[] Arguments(int index, int count, string journalDirectory) =>
    [
        "distribute", "--strategy", "balanced", "--wave-size", "250",
        "--shard", string.Create(CultureInfo.InvariantCulture, $"{index}/{count}"),
        "--journal-dir", journalDirectory, "--yes",
    ];

    private const int Shards = 3;
    private const int Customers = 450;

    [Fact]
    public async Task ThreeShards_AsThreeApplicationUsers_WriteEveryEligibleAccountExactlyOnce()
    {
        // The solution's tables, 10 partners and a few hundred customers without a partner (no direct sales rule, so
        // every customer is eligible): each shard's share fits in one wave of the README's 250.
        var org = DataverseOrg.Create();
        org.LoadSolution(SolutionSource.Locate());
        org.Seed(Enumerable.Range(0, 10).Select(i => new Entity("account")
        {
            ["name"] = $"Shard test partner {i:D2}",
            ["customertypecode"] = new OptionSetValue(5),
            ["address1_country"] = i % 2 == 0 ? "US" : "DE",
        }));
        org.Seed(Enumerable.Range(0, Customers).Select(i => new Entity("account")
        {
            ["name"] = $"Shard test customer {i:D3}",
            ["customertypecode"] = new OptionSetValue(3),
            ["address1_country"] = i % 2 == 0 ? "US" : "DE",
        }));
        // Each shard's application user holds only the Reassignment Job role, as the README tells admins to set it up.
        var users = Enumerable.Range(1, Shards).Select(i => org.CreateUser($"PartnerGuard shard {i}")).ToArray();
        foreach (var user in users)
        {
            DemoUsers.GiveRoles(org, user, [DemoUsers.JobRole]);
        }

        var server = new DataverseWebApiServer(org, new DataverseWebApiOptions
        {
            // Every request must carry one of the shards' tokens: no shard can fall back to the administrator.
            RequireKnownToken = true,
            Tokens = Enumerable.Range(1, Shards).ToDictionary(i => Token(i), i => users[i - 1]),
            BypassAllowedUserIds = users,
        });

        using var temp = new TempDirectory();
        var eligible = await EligibleAccountsAsync(server, temp.Path);
        Assert.Equal(Customers, eligible.Count);
        var perShard = eligible.GroupBy(id => Shard.Bucket(id, Shards)).ToDictionary(g => g.Key + 1, g => g.Count());
        Assert.All(Enumerable.Range(1, Shards), i => Assert.InRange(perShard.GetValueOrDefault(i), 1, 249)); // one wave covers each shard

        var writes = new ConcurrentDictionary<Guid, int>();
        var runs = Enumerable.Range(1, Shards).Select(i => Task.Run(async () =>
        {
            var folder = Path.Combine(temp.Path, "shard-" + i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var output = new StringWriter();
            var code = await InvokeAsync(server, folder, Token(i), output, new AccountWriteCounter(writes), Arguments(i, Shards, Path.Combine(folder, "journal")));
            return (Code: code, Output: output.ToString());
        })).ToList();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.Code == ExitCodes.Done, r.Output));
        // On the wire: each eligible account written once by all shards together, nothing else written.
        Assert.Equal(eligible.Order(), writes.Keys.Order());
        Assert.All(writes, w => Assert.Equal(1, w.Value));

        // In the org: each eligible account has a partner and was last modified by its own shard's user.
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("pg_assignedpartnerid", "modifiedby") };
        var accounts = org.GetService().RetrieveMultiple(query).Entities.ToDictionary(e => e.Id);
        Assert.All(eligible, id =>
        {
            Assert.NotNull(accounts[id].GetAttributeValue<EntityReference>("pg_assignedpartnerid"));
            Assert.Equal(users[Shard.Bucket(id, Shards)], accounts[id].GetAttributeValue<EntityReference>("modifiedby").Id);
        });
    }

    private static string Token(int shard) => "shard-user-" + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>The unsharded plan's accounts (plan writes nothing to the org).</summary>
    private static async Task<HashSet<Guid>> EligibleAccountsAsync(DataverseWebApiServer server, string folder)
    {
        var output = new StringWriter();
        var code = await InvokeAsync(server, folder, Token(1), output, recorder: null, "plan", "--strategy", "balanced", "--out", "all.csv");
        Assert.True(code == ExitCodes.Done, output.ToString());
        return PlanFiles.Read(Path.Combine(folder, "all.csv")).Rows.Select(r => r.AccountId).ToHashSet();
    }

    private static async Task<int> InvokeAsync(DataverseWebApiServer server, string folder, string token, StringWriter output, AccountWriteCounter? recorder, params string[] args)
    {
        var scrubber = new SecretScrubber();
        HttpMessageHandler transport = DataverseWebApi.CreateHandler(server);
        if (recorder is not null)
        {
            recorder.InnerHandler = transport;
            transport = recorder;
        }

        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(output, scrubber),
            Error = new ScrubbingWriter(output, scrubber),
            Environment = name => name == "PARTNERGUARD_CONNECTION" ? CliHarness.Connection : null,
            WorkingDirectory = folder,
            Transport = transport,
            Credential = _ => new UserCredential(token),
            WebApi = new WebApiOptions { AttemptTimeout = null, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        return await PartnerGuardCli.InvokeAsync(args, context);
    }

    private sealed class UserCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
