using System.Data.SqlTypes;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Planning;

/// <summary>
/// Planning streams: the planner pulls accounts one at a time, writes each row before reading the next account,
/// stops reading when the wave is full, and writes files byte-identical to a plan written whole.
/// </summary>
public class PlanStreamingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    private static readonly PartnerCandidate Fabrikam = new(Id(0x91), "Fabrikam Partners", Capacity: null, Assigned: 3, Countries: []);
    private static readonly PartnerCandidate Northwind = new(Id(0x92), "Northwind Resellers", Capacity: null, Assigned: 0, Countries: []);

    private static Guid Id(long n) => Guid.Parse($"00000000-0000-0000-0000-{n:x12}");

    private static AccountCandidate Account(long n) => new(Id(0x1_0000 + n), $"Customer {n}", $"A-{n}", "Germany", null, null, null);

    /// <summary>Accounts 1, 2, 3, … generated on demand, counting how many were pulled.</summary>
    private sealed class CountingSource(long count)
    {
        public long Pulled { get; private set; }

        public IEnumerable<AccountCandidate> Accounts()
        {
            for (long n = 1; n <= count; n++)
            {
                Pulled++;
                yield return Account(n);
            }
        }
    }

    private sealed class RecordingSink(CountingSource source) : IPlanSink
    {
        public List<long> PulledAtEachRow { get; } = [];

        public void Write(PlanRow row) => PulledAtEachRow.Add(source.Pulled);
    }

    [Fact]
    public void EachRow_ReachesTheSink_BeforeTheNextAccountIsRead()
    {
        var source = new CountingSource(500);
        var sink = new RecordingSink(source);

        var summary = PlanRun.Into(source.Accounts(), [Fabrikam, Northwind], new PlanSettings("wave-1", Now, PlanStrategy.Balanced), sink);

        Assert.Equal(500, summary.Rows);
        // Row k is written when exactly k accounts have been pulled: nothing is read ahead or collected first.
        Assert.Equal(Enumerable.Range(1, 500).Select(n => (long)n), sink.PulledAtEachRow);
    }

    [Fact]
    public void AFullWave_StopsReading_EvenFromAMillionAccounts()
    {
        var source = new CountingSource(1_000_000);
        var sink = new RecordingSink(source);

        var summary = PlanRun.Into(source.Accounts(), [Fabrikam, Northwind], new PlanSettings("wave-1", Now, PlanStrategy.Balanced, MaxAccounts: 100), sink);

        // Once --max-accounts rows are planned no later account can be, so the rest is not read: the summary says the
        // wave filled, and counts only the accounts read before it did (here none was left out).
        Assert.Equal(100, source.Pulled);
        Assert.Equal(100, summary.Rows);
        Assert.Equal(100, summary.Read);
        Assert.Equal(100, summary.WaveFullAt);
        Assert.Equal(0, summary.Unplanned);
    }

    [Fact]
    public async Task AFullWave_StopsAnAsyncSource_TooAndLeftOutAccountsBeforeItAreCounted()
    {
        var pulled = 0;
        async IAsyncEnumerable<AccountCandidate> Accounts()
        {
            for (var n = 1; n <= 1_000_000; n++)
            {
                pulled++;
                await Task.Yield();
                yield return n % 2 == 0 ? Account(n) with { IsActive = false } : Account(n);
            }
        }

        var rows = new PlanRun.ListSink();
        var summary = await PlanBuilder.BuildAsync(Accounts(), [Fabrikam], new PlanSettings("wave-1", Now, PlanStrategy.Balanced, MaxAccounts: 10), rows);

        Assert.Equal(19, pulled); // accounts 1, 3, …, 19 planned; the inactive 2, 4, …, 18 read and left out
        Assert.Equal(10, rows.Rows.Count);
        Assert.Equal(9, PlanRun.Reason(summary, "the account is inactive"));
        Assert.Equal(10, summary.WaveFullAt);
    }

    [Fact]
    public void AnAccountRepeatedOnTheNextRow_IsDecidedOnce()
    {
        var accounts = new[] { Account(1), Account(1), Account(2), Account(2), Account(2), Account(3) };

        var (plan, summary) = PlanRun.Build(accounts, [Northwind], new PlanSettings("wave-1", Now, PlanStrategy.Balanced));

        Assert.Equal(["Customer 1", "Customer 2", "Customer 3"], plan.Rows.Select(r => r.AccountName));
        Assert.Equal(3, summary.Read);
    }

    [Fact]
    public void RowsFollowTheSourceOrder_TheServersNotTheText()
    {
        // SQL Server orders uniqueidentifier by its last six bytes first (see PlanRun.InServerOrder): this id sorts
        // first as text but last on the server, and the plan keeps the server's order.
        var late = new AccountCandidate(Guid.Parse("00000001-0000-0000-0000-0000000000ff"), "Late", null, "Germany", null, null, null);
        var early = new AccountCandidate(Guid.Parse("ff000000-0000-0000-0000-000000000001"), "Early", null, "Germany", null, null, null);
        var ordered = PlanRun.InServerOrder([late, early]);

        var (plan, _) = PlanRun.Build(ordered, [Northwind], new PlanSettings("wave-1", Now, PlanStrategy.Balanced));

        Assert.True(new SqlGuid(early.Id).CompareTo(new SqlGuid(late.Id)) < 0);
        Assert.True(string.CompareOrdinal(late.Id.ToString(), early.Id.ToString()) < 0);
        Assert.Equal(["Early", "Late"], plan.Rows.Select(r => r.AccountName));
    }

    [Fact]
    public void PlanFileSink_WritesTheBytesOfAPlanWrittenWhole()
    {
        using var temp = new TempDirectory();
        var settings = new PlanSettings("wave-1", Now, PlanStrategy.Balanced, PerPartnerMax: 40);
        var accounts = Enumerable.Range(1, 120).Select(n => Account(n) with { Name = $"Kunde \"{n}\", GmbH — Zürich" }).ToList();
        var (whole, _) = PlanRun.Build(accounts, [Fabrikam, Northwind], settings);
        PlanFiles.Write(whole, Path.Combine(temp.Path, "whole.csv"));

        PlanSummary streamed;
        using (var sink = new PlanFileSink(Path.Combine(temp.Path, "streamed.csv"), PlanBuilder.Header(settings)))
        {
            streamed = PlanRun.Into(accounts, [Fabrikam, Northwind], settings, sink);
            sink.Commit();
        }

        Assert.Equal(80, streamed.Rows);
        Assert.Equal(File.ReadAllBytes(Path.Combine(temp.Path, "whole.csv")), File.ReadAllBytes(Path.Combine(temp.Path, "streamed.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(temp.Path, "whole.json")), File.ReadAllBytes(Path.Combine(temp.Path, "streamed.json")));
        Assert.Equal(Directory.GetFiles(temp.Path).Select(Path.GetFileName).Order(), ["streamed.csv", "streamed.json", "whole.csv", "whole.json"]);
    }

    [Fact]
    public void PlanFileSink_WithoutCommit_LeavesNoPlanAndKeepsAnEarlierOne()
    {
        using var temp = new TempDirectory();
        var csv = Path.Combine(temp.Path, "wave.csv");
        File.WriteAllText(csv, "earlier");
        var settings = new PlanSettings("wave-1", Now, PlanStrategy.Balanced);

        using (var sink = new PlanFileSink(csv, PlanBuilder.Header(settings)))
        {
            PlanRun.Into([Account(1), Account(2)], [Northwind], settings, sink);
            // planning failed or was cancelled here: no Commit
        }

        Assert.Equal("earlier", File.ReadAllText(csv));
        Assert.Equal(["wave.csv"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void UnplannedReasons_AreCounted_WithinABound()
    {
        var counts = new UnplannedCounts();
        for (var i = 0; i < UnplannedCounts.MaxReasons + 500; i++)
        {
            counts.Add($"reason {i}");
        }

        counts.Add("reason 0");

        var byReason = counts.ByReason();
        Assert.Equal(UnplannedCounts.MaxReasons + 501, counts.Total);
        Assert.Equal(UnplannedCounts.MaxReasons + 1, byReason.Count);
        Assert.Equal((UnplannedCounts.OtherReasons, 500), byReason[0]);
        Assert.Equal(("reason 0", 2), byReason[1]);
    }
}
