using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Tests.Planning;

public class PlanBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Seller = Guid.Parse("50000000-0000-0000-0000-000000000001");

    private static readonly PartnerCandidate Fabrikam = new(Id(0x91), "Fabrikam Partners", Capacity: 10, Assigned: 0, Countries: ["DE", "AT"]);
    private static readonly PartnerCandidate Northwind = new(Id(0x92), "Northwind Resellers", Capacity: 20, Assigned: 0, Countries: []);
    private static readonly PartnerCandidate Tailspin = new(Id(0x93), "Tailspin Partners", Capacity: 2, Assigned: 2, Countries: ["FR"]);

    private static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:x12}");

    private static AccountCandidate Account(int n, string? country = "Germany", string? number = null) =>
        new(Id(n), $"Customer {n}", number ?? $"A-{n:000}", country, Seller, "systemuser", null);

    private static PlanSettings Settings(PlanStrategy strategy, int? max = null, int? perPartner = null, MappingTable? mapping = null, Shard? shard = null) =>
        new("wave-1", Now, strategy, max, perPartner, shard, mapping);

    [Fact]
    public void Eligibility_LeavesOutInactivePartnersAssignedAndRuleCoveredAccounts_WithAReason()
    {
        var accounts = new[]
        {
            Account(1),
            Account(2) with { IsActive = false },
            Account(3) with { IsPartner = true },
            Account(4) with { AssignedPartnerId = Northwind.Id },
            Account(5, "United States"),
            Account(6) with { AnnualRevenueBase = 2_300_000_000m },
        };
        var rules = CompiledRuleSet.Compile(
        [
            new GeographyRule(Guid.NewGuid(), "Americas direct", 1, ["US"], []),
            new CustomerSizeAboveRule(Guid.NewGuid(), "Enterprise", 2, SizeMeasure.AnnualRevenue, 1_000_000_000m),
        ]);

        var result = PlanRun.Build(accounts, [Northwind], Settings(PlanStrategy.Balanced), new PolicyDirectSalesCoverage(rules, ChannelSettings.Default, Now));

        Assert.Equal([Id(1)], result.Plan.Rows.Select(r => r.AccountId));
        var reasons = result.Summary.UnplannedByReason.Select(u => u.Reason).ToList();
        Assert.All(result.Summary.UnplannedByReason, u => Assert.Equal(1, u.Count));
        Assert.Equal(5, result.Summary.Unplanned);
        Assert.Contains("the account is inactive", reasons);
        Assert.Contains("the account is itself a partner", reasons);
        Assert.Contains(reasons, r => r.Contains("already has an assigned partner (Northwind Resellers)", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("Americas direct", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("Enterprise", StringComparison.Ordinal));
    }

    [Fact]
    public void RuleCoveredAccounts_AreCountedPerRule_NotPerAccountFacts()
    {
        var accounts = new[]
        {
            Account(1) with { AnnualRevenueBase = 2_300_000_000m },
            Account(2) with { AnnualRevenueBase = 1_100_000_000m },
            Account(3) with { AnnualRevenueBase = 5_000_000_000m },
            Account(4, "United States"),
            Account(5),
        };
        var rules = CompiledRuleSet.Compile(
        [
            new GeographyRule(Guid.NewGuid(), "Americas direct", 1, ["US"], []),
            new CustomerSizeAboveRule(Guid.NewGuid(), "Enterprise", 2, SizeMeasure.AnnualRevenue, 1_000_000_000m),
        ]);

        var result = PlanRun.Build(accounts, [Northwind], Settings(PlanStrategy.Balanced), new PolicyDirectSalesCoverage(rules, ChannelSettings.Default, Now));

        Assert.Equal([Id(5)], result.Plan.Rows.Select(r => r.AccountId));
        Assert.Equal(
            [("handled direct by rule 'Enterprise'", 3), ("handled direct by rule 'Americas direct'", 1)],
            result.Summary.UnplannedByReason.OrderByDescending(u => u.Count).ToList());
    }

    [Fact]
    public void Territory_PicksPartnersServingTheNormalisedCountry()
    {
        var accounts = new[] { Account(1, "deutschland"), Account(2, "AT"), Account(3, "France"), Account(4, "Japan"), Account(5, null) };

        var result = PlanRun.Build(accounts, [Fabrikam, Tailspin, Northwind with { Countries = ["JP"] }], Settings(PlanStrategy.Territory));

        var chosen = result.Plan.Rows.ToDictionary(r => r.AccountId, r => r.NewPartnerName);
        Assert.Equal("Fabrikam Partners", chosen[Id(1)]);
        Assert.Equal("Fabrikam Partners", chosen[Id(2)]);
        Assert.Equal("Northwind Resellers", chosen[Id(4)]);
        Assert.Equal(1, PlanRun.Reason(result.Summary, "every partner serving FR is full"));
        Assert.Contains(result.Summary.UnplannedByReason, u => u.Reason.Contains("not recognised", StringComparison.Ordinal));
        Assert.Equal(2, result.Summary.Unplanned);
        Assert.StartsWith("Territory: Fabrikam Partners serves DE", result.Plan.Rows[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Territory_PartnerWithNoCountries_ServesAny()
    {
        var result = PlanRun.Build([Account(1, "Brazil")], [Fabrikam, Northwind], Settings(PlanStrategy.Territory));

        Assert.Equal("Northwind Resellers", Assert.Single(result.Plan.Rows).NewPartnerName);
        Assert.Contains("serves any country", result.Plan.Rows[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Balanced_SplitsByCapacity_AndRespectsCaps()
    {
        var accounts = Enumerable.Range(1, 30).Select(n => Account(n)).ToList();

        var result = PlanRun.Build(accounts, [Fabrikam, Northwind, Tailspin], Settings(PlanStrategy.Balanced));

        var counts = result.Plan.Rows.GroupBy(r => r.NewPartnerName).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, counts["Fabrikam Partners"]); // capacity 10, weight 10
        Assert.Equal(20, counts["Northwind Resellers"]); // capacity 20, weight 20
        Assert.False(counts.ContainsKey("Tailspin Partners")); // already full (2 of 2)
    }

    [Fact]
    public void WaveCaps_MaxAccountsAndPerPartnerMax()
    {
        var accounts = Enumerable.Range(1, 10).Select(n => Account(n)).ToList();

        var capped = PlanRun.Build(accounts, [Fabrikam, Northwind], Settings(PlanStrategy.Balanced, max: 4));
        var perPartner = PlanRun.Build(accounts, [Fabrikam, Northwind], Settings(PlanStrategy.Balanced, perPartner: 3));

        // A full wave stops reading: the six accounts after the fourth planned one are neither read nor counted.
        Assert.Equal(4, capped.Plan.Rows.Count);
        Assert.Equal(4, capped.Summary.Read);
        Assert.Equal(0, capped.Summary.Unplanned);
        Assert.Equal(4, capped.Summary.WaveFullAt);
        Assert.Null(perPartner.Summary.WaveFullAt);
        Assert.Equal(6, perPartner.Plan.Rows.Count);
        Assert.All(perPartner.Plan.Rows.GroupBy(r => r.NewPartnerId), g => Assert.Equal(3, g.Count()));
        Assert.Equal("4", capped.Plan.Parameters["max-accounts"]);
    }

    [Fact]
    public void Mapping_ByAccountNumber_AndUnknownPartnerIsAnInputError()
    {
        var mapping = MappingTable.Parse($"account_number,partner_id\r\nA-002,{Northwind.Id}\r\na-003,{Fabrikam.Id}\r\n", "map.csv");
        var accounts = new[] { Account(1), Account(2), Account(3) };

        var result = PlanRun.Build(accounts, [Fabrikam, Northwind], Settings(PlanStrategy.Mapping, mapping: mapping));
        var unknown = MappingTable.Parse($"account_id,partner_id\r\n{Id(1)},{Tailspin.Id}\r\n", "map.csv");
        var error = Assert.Throws<UsageException>(() => PlanRun.Build(accounts, [Fabrikam], Settings(PlanStrategy.Mapping, mapping: unknown)));

        Assert.Equal([Id(2), Id(3)], result.Plan.Rows.Select(r => r.AccountId));
        Assert.Equal("map.csv line 2 names Northwind Resellers for this account.", result.Plan.Rows[0].Reason);
        Assert.Equal("the account is not in map.csv", Assert.Single(result.Summary.UnplannedByReason).Reason);
        Assert.Equal($"map.csv line 2, field 'partner_id': {Tailspin.Id:D} is not an active partner account.", error.Message);
    }

    [Theory]
    [InlineData("account_id,partner_id\r\nnot-a-guid,00000000-0000-0000-0000-000000000091\r\n", "map.csv line 2, field 'account_id': 'not-a-guid' is not a record id")]
    [InlineData("account,partner_id\r\n", "needs a column 'account_id' or 'account_number'")]
    [InlineData("account_number,partner\r\n", "needs a column 'partner_id'")]
    [InlineData("account_number,partner_id\r\nA-1,00000000-0000-0000-0000-000000000091\r\nA-1,00000000-0000-0000-0000-000000000092\r\n", "map.csv line 3, field 'account_number': account number 'A-1' is already mapped on line 2")]
    [InlineData("account_number,partner_id\r\nA-1,\"00000000-0000-0000-0000-000000000091\r\n", "map.csv line 2: the CSV is malformed")]
    public void Mapping_MalformedFile_NamesLineAndField(string content, string expected)
    {
        var error = Assert.Throws<UsageException>(() => MappingTable.Parse(content, "map.csv"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_WithoutFile_IsAUsageError()
    {
        Assert.Throws<UsageException>(() => PlanRun.Build([], [], Settings(PlanStrategy.Mapping)));
    }

    [Theory]
    [InlineData("0/4")]
    [InlineData("5/4")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Shard_Malformed_IsAUsageError(string text)
    {
        Assert.Contains("--shard", Assert.Throws<UsageException>(() => Shard.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shard_HashIsStableAcrossRuns()
    {
        // Fixed expectations: a change of hash would silently move accounts between shards of a running rollout.
        Assert.Equal(
            [0, 0, 2, 2, 1, 0, 2, 2],
            Enumerable.Range(1, 8).Select(n => Shard.Bucket(Id(n), 3)));
    }
}
