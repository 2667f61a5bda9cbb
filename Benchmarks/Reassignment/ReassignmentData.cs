using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;

namespace PartnerGuard.Benchmarks.Reassignment;

/// <summary>
/// The org the reassignment benchmark runs against: active customer accounts with no partner (all eligible, as no
/// direct sales rule exists) and active partner accounts without a capacity cap. Seeded directly, not through HTTP.
/// </summary>
internal static class ReassignmentData
{
    private const int CustomerType = 3;
    private const int PartnerType = 5;
    private static readonly string[] Countries = ["US", "DE", "FR", "GB", "NL", "SE", "BR", "IN", "CA", "AU"];

    public static void SeedInto(DataverseOrg org, int customers, int partners)
    {
        org.Seed(Enumerable.Range(0, partners).Select(i => new Entity("account")
        {
            ["name"] = $"Benchmark partner {i:D3}",
            ["accountnumber"] = $"BP-{i:D3}",
            ["customertypecode"] = new OptionSetValue(PartnerType),
            ["address1_country"] = Countries[i % Countries.Length],
        }));
        org.Seed(Enumerable.Range(0, customers).Select(i => new Entity("account")
        {
            ["name"] = $"Benchmark customer {i:D6}",
            ["accountnumber"] = $"BC-{i:D6}",
            ["customertypecode"] = new OptionSetValue(CustomerType),
            ["address1_country"] = Countries[i % Countries.Length],
            ["numberofemployees"] = 50 + (i % 5000),
        }));
    }
}
