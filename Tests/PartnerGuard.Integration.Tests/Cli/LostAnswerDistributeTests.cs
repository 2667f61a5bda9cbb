using System.Collections.Concurrent;
using Azure.Core;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Cli;

/// <summary>
/// Issue #12 defect 9 through the command line: `distribute` against an emulator that runs half of the writes and
/// then drops their answers (Faults.LostAnswerRate) finishes with exit 0, every eligible account with a partner, and
/// each account named by exactly one write request on the wire: after a lost answer the batch is re-read, found
/// applied, and not sent again.
/// </summary>
public sealed partial class LostAnswerDistributeTests
{
    private const int Customers = 120;

    [Fact]
    public async Task Distribute_HalfTheAnswersLost_EachAccountWrittenOnce()
    {
        var org = DataverseOrg.Create();
        org.LoadSolution(SolutionSource.Locate());
        org.Seed(Enumerable.Range(0, 4).Select(i => new Entity("account") { ["name"] = $"Lost-answer partner {i}", ["customertypecode"] = new OptionSetValue(5) }));
        var customers = org.Seed(Enumerable.Range(0, Customers).Select(i => new Entity("account") { ["name"] = $"Lost-answer customer {i:D3}", ["customertypecode"] = new OptionSetValue(3) })).ToList();
        var server = new DataverseWebApiServer(org, new DataverseWebApiOptions
        {
            ServiceProtection = new ServiceProtectionOptions { Enabled = false },
            Faults = new FaultInjectionOptions { Seed = 5, LostAnswerRate = 0.5 },
        });
        var writes = new ConcurrentDictionary<Guid, int>();
        using var temp = new TempDirectory();
        var output = new StringWriter();
        var scrubber = new SecretScrubber();
        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(output, scrubber),
            Error = new ScrubbingWriter(output, scrubber),
            Environment = name => name == "PARTNERGUARD_CONNECTION" ? CliHarness.Connection : null,
            WorkingDirectory = temp.Path,
            Transport = new AccountWriteCounter(writes) { InnerHandler = DataverseWebApi.CreateHandler(server) },
            Credential = _ => new CliHarness.StaticCredential(),
            WebApi = new WebApiOptions { AttemptTimeout = null, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
        };

        var code = await PartnerGuardCli.InvokeAsync(["distribute", "--strategy", "balanced", "--wave-size", "500", "--batch-size", "10", "--max-parallelism", "1", "--yes", "--run-id", "lost", "--output", "rep"], context);

        Assert.True(code == ExitCodes.Done, output.ToString());
        Assert.Contains($"{Customers} applied, 0 failed, 0 skipped, 0 not finished", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(customers.Order(), writes.Keys.Order());
        Assert.All(writes, w => Assert.Equal(1, w.Value));
        var results = File.ReadAllText(Path.Combine(temp.Path, "rep", "lost.apply.results.csv"));
        Assert.Contains("the answer was lost; a re-read found the change made", results, StringComparison.Ordinal); // the fault did hit writes
        var accounts = org.GetService().RetrieveMultiple(new QueryExpression("account") { ColumnSet = new ColumnSet("pg_assignmentrun") }).Entities.ToDictionary(e => e.Id);
        Assert.All(customers, id => Assert.Equal("lost", accounts[id].GetAttributeValue<string>("pg_assignmentrun")));
    }
}
