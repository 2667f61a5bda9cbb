using FsCheck;
using FsCheck.Xunit;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Tests.Planning;

/// <summary>Properties of planning that must hold for any inputs (inputs generated from a seed).</summary>
public class PlanBuilderProperties
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 150)]
    public bool SameInputsInAnyOrder_GiveByteIdenticalPlans(int seed, bool balanced)
    {
        var (accounts, partners) = Generate(seed);
        var settings = new PlanSettings("wave-1", Now, balanced ? PlanStrategy.Balanced : PlanStrategy.Territory, PerPartnerMax: 7);
        var shuffled = new Random(seed ^ 0x5eed);

        // The source gives accounts in the server's order (PlanRun.InServerOrder): any order they were created or
        // stored in, and any order of partners, gives the same plan.
        var a = PlanRun.Build(PlanRun.InServerOrder(accounts), partners, settings);
        var b = PlanRun.Build(PlanRun.InServerOrder(accounts.OrderBy(_ => shuffled.Next())), partners.OrderBy(_ => shuffled.Next()).ToList(), settings);

        return PlanFiles.ToCsv(a.Plan) == PlanFiles.ToCsv(b.Plan) && PlanFiles.ToJson(a.Plan) == PlanFiles.ToJson(b.Plan);
    }

    [Property(MaxTest = 150)]
    public void Balanced_NeverExceedsCapsAndIsFairByCapacity(int seed, PositiveInt waveCap)
    {
        var (accounts, partners) = Generate(seed);
        var perPartnerMax = waveCap.Get % 9 + 1;
        var result = PlanRun.Build(PlanRun.InServerOrder(accounts), partners, new PlanSettings("wave-1", Now, PlanStrategy.Balanced, MaxAccounts: waveCap.Get % 60, PerPartnerMax: perPartnerMax));

        var planned = result.Plan.Rows.GroupBy(r => r.NewPartnerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(result.Plan.Rows.Count <= waveCap.Get % 60);
        var defaultWeight = Math.Max(1, partners.Max(p => p.Capacity ?? 0));
        foreach (var p in partners)
        {
            var total = p.Assigned + planned.GetValueOrDefault(p.Id);
            Assert.True(planned.GetValueOrDefault(p.Id) <= perPartnerMax);
            Assert.True(p.Capacity is null || planned.GetValueOrDefault(p.Id) == 0 || total <= p.Capacity, $"{p.Name} over capacity");
        }

        // Fairness: a partner that received accounts never ends more loaded (per unit of capacity) than any
        // partner that still had room would be after one more account.
        foreach (var p in partners.Where(p => planned.GetValueOrDefault(p.Id) > 0))
        {
            var pLoad = (double)(p.Assigned + planned[p.Id]) / (p.Capacity ?? defaultWeight);
            foreach (var q in partners)
            {
                var qTotal = q.Assigned + planned.GetValueOrDefault(q.Id);
                var qHasRoom = (q.Capacity is null || qTotal < q.Capacity) && planned.GetValueOrDefault(q.Id) < perPartnerMax;
                if (qHasRoom)
                {
                    Assert.True(pLoad <= (double)(qTotal + 1) / (q.Capacity ?? defaultWeight) + 1e-9, $"{p.Name} is favoured over {q.Name}");
                }
            }
        }
    }

    [Property(MaxTest = 100)]
    public bool Shards_PartitionTheEligibleAccounts(int seed, PositiveInt shardCount)
    {
        var (accounts, partners) = Generate(seed);
        var n = shardCount.Get % 6 + 1;
        var ordered = PlanRun.InServerOrder(accounts);
        var whole = PlanRun.Build(ordered, partners, new PlanSettings("wave-1", Now, PlanStrategy.Territory));
        var pieces = Enumerable.Range(1, n)
            .Select(i => PlanRun.Build(ordered, partners, new PlanSettings("wave-1", Now, PlanStrategy.Territory, Shard: new Shard(i, n))))
            .ToList();

        // Every account is read by exactly one shard, and the shards' plans never share an account.
        var planned = pieces.SelectMany(p => p.Plan.Rows.Select(r => r.AccountId)).ToList();
        return pieces.Sum(p => p.Summary.Read) == whole.Summary.Read
            && whole.Summary.Read == ordered.Count
            && planned.Count == planned.Distinct().Count();
    }

    private static (List<AccountCandidate> Accounts, List<PartnerCandidate> Partners) Generate(int seed)
    {
        var random = new Random(seed);
        string[] countries = ["DE", "FR", "US", "Japan", "germany", "", "Atlantis"];
        var partners = Enumerable.Range(0, random.Next(1, 7))
            .Select(i => new PartnerCandidate(
                Guid.Parse($"90000000-0000-0000-0000-{random.Next(1, 1 << 30):x12}"),
                $"Partner {i}",
                random.Next(4) == 0 ? null : random.Next(0, 40),
                random.Next(0, 10),
                random.Next(3) == 0 ? [] : [countries[random.Next(3)], "JP"]))
            .ToList();
        var accounts = Enumerable.Range(0, random.Next(0, 120))
            .Select(i => new AccountCandidate(
                Guid.Parse($"10000000-0000-0000-0000-{random.Next(1, 1 << 30):x12}"),
                $"Customer {i}",
                $"A-{i}",
                countries[random.Next(countries.Length)],
                null,
                null,
                random.Next(10) == 0 ? partners[0].Id : null,
                IsActive: random.Next(20) != 0))
            .ToList();
        return (accounts, partners);
    }
}
