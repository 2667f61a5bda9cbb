using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;

namespace PartnerGuard.Benchmarks.Statements;

/// <summary>
/// The org the statement benchmark reads: partners with a capacity, every customer assigned (round robin, by one of
/// ten recorded waves), open deals spread over the customers (8 in 10 through the customer's partner, 1 in 10 recorded
/// Direct under the one rule, 1 in 10 naming another partner: a conflict), and the ten wave rows. Seeded directly.
/// </summary>
internal static class StatementData
{
    private const int CustomerType = 3;
    private const int PartnerType = 5;
    private const int Waves = 10;
    private static readonly string[] Countries = ["US", "DE", "FR", "GB", "NL", "SE", "BR", "IN", "CA", "AU"];
    private static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);

    public static void SeedInto(DataverseOrg org, int customers, int partners, int deals)
    {
        var rule = Guid.Parse("5e000000-0000-4000-8000-000000000001");
        org.Seed(new Entity("pg_directsalesrule", rule)
        {
            ["pg_name"] = "Benchmark enterprise",
            ["pg_kind"] = new OptionSetValue(723100000),
            ["pg_measure"] = new OptionSetValue(723100000),
            ["pg_threshold"] = 1_000_000_000m,
            ["pg_priority"] = 10,
        });
        var capacity = Math.Max(1, (customers / Math.Max(partners, 1)) + (customers / Math.Max(partners, 1) / 4) + 1);
        var partnerIds = org.Seed(Enumerable.Range(0, partners).Select(i => new Entity("account")
        {
            ["name"] = $"Benchmark partner {i:D4}",
            ["customertypecode"] = new OptionSetValue(PartnerType),
            ["address1_country"] = Countries[i % Countries.Length],
            ["pg_partnercapacity"] = capacity - (i % 3),
        })).ToArray();
        var customerIds = org.Seed(Enumerable.Range(0, customers).Select(i => new Entity("account")
        {
            ["name"] = $"Benchmark customer {i:D6}",
            ["customertypecode"] = new OptionSetValue(CustomerType),
            ["address1_country"] = Countries[i % Countries.Length],
            ["numberofemployees"] = 50 + (i % 5000),
            ["pg_assignedpartnerid"] = new EntityReference("account", partnerIds[i % partnerIds.Length]),
            ["pg_partnerassignedon"] = Start.AddDays(7 * (i % Waves)),
            ["pg_assignmentrun"] = $"bench-wave-{i % Waves}",
        })).ToArray();
        org.Seed(Enumerable.Range(0, deals).Select(i =>
        {
            var customer = i % customerIds.Length;
            var row = new Entity("opportunity")
            {
                ["name"] = $"Benchmark deal {i:D6}",
                ["customerid"] = new EntityReference("account", customerIds[customer]),
                ["estimatedvalue"] = new Money(1_000m + (i % 997 * 100m)),
            };
            switch (i % 10)
            {
                case 0:
                    row["pg_channel"] = new OptionSetValue(723100001);
                    row["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", rule);
                    break;
                case 1:
                    row["pg_channel"] = new OptionSetValue(723100000);
                    row["pg_partnerid"] = new EntityReference("account", partnerIds[(customer + 1) % partnerIds.Length]);
                    break;
                default:
                    row["pg_channel"] = new OptionSetValue(723100000);
                    row["pg_partnerid"] = new EntityReference("account", partnerIds[customer % partnerIds.Length]);
                    break;
            }

            return row;
        }));
        org.Seed(Enumerable.Range(0, Waves).Select(w => new Entity("pg_reassignmentrun")
        {
            ["pg_name"] = $"bench-wave-{w}",
            ["pg_startedon"] = Start.AddDays(7 * w),
            ["pg_finishedon"] = Start.AddDays(7 * w).AddHours(1),
            ["pg_status"] = new OptionSetValue(723100002),
            ["pg_strategy"] = "balanced",
            ["pg_planned"] = customers / Waves,
            ["pg_applied"] = customers / Waves,
        }));
    }
}
