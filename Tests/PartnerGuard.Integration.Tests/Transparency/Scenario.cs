extern alias PluginAssembly;

using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Transparency;

/// <summary>
/// One small org whose every figure was worked out by hand (see the tests), as plain records and seeded into the
/// emulator with the same values. Settings are the solution's defaults: Audit, partner types 5 and 9, auto-attach on,
/// conflicts blocked. "Now" is 2026-11-27 08:00 UTC.
/// </summary>
internal static class Scenario
{
    public static readonly DateTime Now = new(2026, 11, 27, 8, 0, 0, DateTimeKind.Utc);

    // Rules: Enterprise (revenue ≥ 1e9, p10), Japan direct (JP, p20), Old promo (deal ≥ 500,000, p30, expired 2026-06-30).
    public static readonly Guid Enterprise = new("e0000000-0000-0000-0000-000000000001");
    public static readonly Guid Japan = new("e0000000-0000-0000-0000-000000000002");
    public static readonly Guid OldPromo = new("e0000000-0000-0000-0000-000000000003");

    // Partners: Northwind (type 5, capacity 5), Fabrikam (type 9, capacity 2), Tailspin (type 5, no cap).
    public static readonly Guid Northwind = new("b0000000-0000-0000-0000-000000000001");
    public static readonly Guid Fabrikam = new("b0000000-0000-0000-0000-000000000002");
    public static readonly Guid Tailspin = new("b0000000-0000-0000-0000-000000000003");

    // Customers A..H.
    public static readonly Guid A = Customer(1), B = Customer(2), C = Customer(3), D = Customer(4), E = Customer(5), F = Customer(6), G = Customer(7), H = Customer(8);

    public static IReadOnlyList<DirectSalesRuleDraft> Rules { get; } =
    [
        new() { Id = Enterprise, Name = "Enterprise", Kind = "723100000", Measure = "723100000", Threshold = 1_000_000_000m, Priority = 10, Description = "Global enterprises buy direct." },
        new() { Id = Japan, Name = "Japan direct", Kind = "723100002", Countries = "JP", Priority = 20 },
        new() { Id = OldPromo, Name = "Old promo", Kind = "723100004", Threshold = 500_000m, Priority = 30, EffectiveFrom = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), EffectiveTo = new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc) },
    ];

    public static IReadOnlyList<OrgAccount> Accounts { get; } =
    [
        new(Northwind, "Northwind") { RelationshipType = 5, PartnerCapacity = 5, Country = "DE" },
        new(Fabrikam, "Fabrikam") { RelationshipType = 9, PartnerCapacity = 2, Country = "US" },
        new(Tailspin, "Tailspin") { RelationshipType = 5, Country = "GB" },
        new(A, "Alpha GmbH") { Country = "Germany", AnnualRevenueBase = 10_000_000m, AssignedPartnerId = Northwind, AssignedOn = Day(2026, 10, 1) },
        new(B, "Beta KK") { Country = "Japan", AnnualRevenueBase = 4_000_000m },
        new(C, "Gamma Corp") { Country = "United States", AnnualRevenueBase = 2_000_000_000m },
        new(D, "Delta Ltd") { Country = "UK", AnnualRevenueBase = 1_000_000m, AssignedPartnerId = Fabrikam, AssignedOn = Day(2026, 11, 15) },
        new(E, "Epsilon SA") { Country = "France", AnnualRevenueBase = 3_000_000m },
        new(F, "Zeta BV") { Country = "NL", AnnualRevenueBase = 4_000_000m, AssignedPartnerId = Northwind, AssignedOn = Day(2026, 11, 15) },
        new(G, "Eta Oy") { Country = "Finland", AnnualRevenueBase = 2_000_000m },
        new(H, "Theta KK") { Country = "JP", AnnualRevenueBase = 8_000_000m },
    ];

    public static IReadOnlyList<OrgDeal> Deals { get; } =
    [
        Deal(1, "A-1", A, 100_000m, ChannelOutcome.Partner, partner: Northwind),
        Deal(2, "A-2", A, 50_000m, ChannelOutcome.Partner, partner: Fabrikam),
        Deal(3, "B-1", B, 200_000m, ChannelOutcome.Direct, rule: Japan),
        Deal(4, "C-1", C, 300_000m, ChannelOutcome.Direct, rule: Enterprise),
        Deal(5, "E-1", E, 40_000m, null),
        Deal(6, "G-1", G, 600_000m, ChannelOutcome.Direct, rule: OldPromo),
        Deal(7, "E-2", E, 10_000m, ChannelOutcome.Unresolved),
        Deal(8, "G-2", G, 20_000m, ChannelOutcome.Bypassed),
        Deal(9, "D-1", D, 30_000m, ChannelOutcome.Partner, partner: Fabrikam),
        Deal(10, "H-1", H, 80_000m, ChannelOutcome.Direct, rule: Japan),
    ];

    public static IReadOnlyList<OrgRun> Runs { get; } =
    [
        new("pg-wave-1") { StartedOn = Day(2026, 10, 1), FinishedOn = new DateTime(2026, 10, 2, 0, 0, 0, DateTimeKind.Utc), Status = RunStatus.Completed, Planned = 1, Applied = 1 },
        new("pg-wave-2") { StartedOn = Day(2026, 11, 15), FinishedOn = new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc), Status = RunStatus.CompletedWithFailures, Planned = 3, Applied = 2, Failed = 1 },
    ];

    public static OrgSnapshot Snapshot(IReadOnlyList<DirectSalesRuleDraft>? rules = null) =>
        new(Accounts, Deals, rules ?? Rules, ChannelSettings.Default, Now, Runs);

    /// <summary>The draft of the simulation test: Enterprise lowered to 5,000,000; Japan removed; Finland (FI) added; Old promo kept.</summary>
    public const string DraftJson = """
        {
          "format": "partnerguard-rules/1",
          "rules": [
            { "id": "e0000000-0000-0000-0000-000000000001", "name": "Enterprise", "kind": "CustomerSizeAbove", "measure": "AnnualRevenue", "threshold": 5000000, "priority": 10, "description": "Global enterprises buy direct." },
            { "id": "e0000000-0000-0000-0000-000000000003", "name": "Old promo", "kind": "DealSizeAbove", "threshold": 500000, "priority": 30, "effectiveFrom": "2026-01-01", "effectiveTo": "2026-06-30" },
            { "name": "Finland direct", "kind": "Geography", "countries": ["FI"], "priority": 40 }
          ]
        }
        """;

    /// <summary>A new emulator org with the PartnerGuard solution loaded (tables, settings, plugin steps) and this scenario seeded.</summary>
    public static DataverseOrg CreateOrg()
    {
        var org = SolutionOrg.Create(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly, clock: TestClock.At(new DateTimeOffset(Now))).Org;
        foreach (var rule in Rules)
        {
            var row = new Entity("pg_directsalesrule", rule.Id)
            {
                ["pg_name"] = rule.Name,
                ["pg_kind"] = new OptionSetValue(int.Parse(rule.Kind!, System.Globalization.CultureInfo.InvariantCulture)),
                ["pg_priority"] = rule.Priority,
            };
            Set(row, "pg_measure", rule.Measure is null ? null : new OptionSetValue(int.Parse(rule.Measure, System.Globalization.CultureInfo.InvariantCulture)));
            Set(row, "pg_threshold", rule.Threshold);
            Set(row, "pg_countries", rule.Countries);
            Set(row, "pg_description", rule.Description);
            Set(row, "pg_effectivefrom", rule.EffectiveFrom);
            Set(row, "pg_effectiveto", rule.EffectiveTo);
            org.Seed(row);
        }

        foreach (var account in Accounts.OrderBy(a => a.AssignedPartnerId is null ? 0 : 1))
        {
            var row = new Entity("account", account.Id) { ["name"] = account.Name };
            Set(row, "address1_country", account.Country);
            Set(row, "revenue", account.AnnualRevenueBase is { } revenue ? new Money(revenue) : null);
            Set(row, "customertypecode", account.RelationshipType is { } type ? new OptionSetValue(type) : null);
            Set(row, "pg_partnercapacity", account.PartnerCapacity);
            Set(row, "pg_assignedpartnerid", account.AssignedPartnerId is { } partner ? new EntityReference("account", partner) : null);
            Set(row, "pg_partnerassignedon", account.AssignedOn);
            org.Seed(row);
        }

        foreach (var deal in Deals)
        {
            var row = new Entity("opportunity", deal.Id)
            {
                ["name"] = deal.Name,
                ["customerid"] = new EntityReference("account", deal.CustomerAccountId!.Value),
                ["estimatedvalue"] = new Money(deal.EstimatedValueBase!.Value),
            };
            Set(row, "pg_partnerid", deal.PartnerId is { } partner ? new EntityReference("account", partner) : null);
            Set(row, "pg_channel", deal.Channel is { } channel ? new OptionSetValue(723100000 + (int)channel) : null);
            Set(row, "pg_directsalesruleid", deal.RuleId is { } rule ? new EntityReference("pg_directsalesrule", rule) : null);
            Set(row, "pg_channelreason", deal.Reason);
            org.Seed(row);
        }

        foreach (var run in Runs)
        {
            org.Seed(new Entity("pg_reassignmentrun")
            {
                ["pg_name"] = run.Name,
                ["pg_startedon"] = run.StartedOn,
                ["pg_finishedon"] = run.FinishedOn,
                ["pg_status"] = new OptionSetValue((int)run.Status!.Value),
                ["pg_planned"] = run.Planned,
                ["pg_applied"] = run.Applied,
                ["pg_failed"] = run.Failed,
                ["pg_undone"] = run.Undone,
            });
        }

        return org;
    }

    private static void Set(Entity row, string column, object? value)
    {
        if (value is not null)
        {
            row[column] = value;
        }
    }

    private static Guid Customer(int n) => new($"c0000000-0000-0000-0000-{n:D12}");

    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    private static OrgDeal Deal(int n, string name, Guid customer, decimal value, ChannelOutcome? channel, Guid? partner = null, Guid? rule = null) =>
        new(new Guid($"d0000000-0000-0000-0000-{n:D12}"), name)
        {
            CustomerAccountId = customer,
            EstimatedValueBase = value,
            Channel = channel,
            PartnerId = partner,
            RuleId = rule,
        };
}
