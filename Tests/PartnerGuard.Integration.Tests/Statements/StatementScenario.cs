using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Integration.Tests.Transparency;

namespace PartnerGuard.Integration.Tests.Statements;

/// <summary>
/// The transparency scenario (<see cref="Scenario"/>) plus what statements need, every figure worked out by hand in
/// the tests: a partner with no customers (Litware, capacity 3); a customer whose partner changed twice (Iota: Tailspin
/// by pg-wave-1, Fabrikam by pg-wave-2, Northwind by pg-wave-3, so only the last is left in Dataverse); a rule that
/// ended in the period (Autumn promo, 2026-09-01 to 2026-11-20) with a deal it made direct; a scheduled rule (Nordics,
/// from 2027-01-01); and names that need escaping in HTML, CSV and Markdown (and CSV cells starting with = + - @).
/// </summary>
internal static class StatementScenario
{
    public static readonly Guid Litware = new("b0000000-0000-0000-0000-000000000004");
    public static readonly Guid Iota = new("c0000000-0000-0000-0000-000000000009");
    public static readonly Guid AutumnPromo = new("e0000000-0000-0000-0000-000000000004");
    public static readonly Guid Nordics = new("e0000000-0000-0000-0000-000000000005");

    public const string IotaName = "=SUM(1+1) <b>Iota</b> & \"Co\" | *x*";
    public const string AutumnName = "-Autumn | promo <Q4>";
    public const string PlusDeal = "+plus deal";
    public const string AtDeal = "@risk deal";

    public static DataverseOrg CreateOrg()
    {
        var org = Scenario.CreateOrg();
        org.Seed(new Entity("pg_directsalesrule", AutumnPromo)
        {
            ["pg_name"] = AutumnName,
            ["pg_kind"] = new OptionSetValue(723100004),
            ["pg_threshold"] = 250_000m,
            ["pg_priority"] = 40,
            ["pg_effectivefrom"] = Day(2026, 9, 1),
            ["pg_effectiveto"] = Day(2026, 11, 20),
        });
        org.Seed(new Entity("pg_directsalesrule", Nordics)
        {
            ["pg_name"] = "Nordics",
            ["pg_kind"] = new OptionSetValue(723100002),
            ["pg_countries"] = "FI,SE",
            ["pg_priority"] = 50,
            ["pg_effectivefrom"] = Day(2027, 1, 1),
            ["pg_description"] = "Nordic customers buy direct from 2027.",
        });
        org.Seed(new Entity("account", Litware)
        {
            ["name"] = "Litware",
            ["customertypecode"] = new OptionSetValue(5),
            ["pg_partnercapacity"] = 3,
        });

        // Iota's partner changed twice; each change overwrites partner, date and run.
        org.Seed(new Entity("account", Iota)
        {
            ["name"] = IotaName,
            ["address1_country"] = "Canada",
            ["revenue"] = new Money(5_000_000m),
            ["pg_assignedpartnerid"] = new EntityReference("account", Scenario.Tailspin),
            ["pg_partnerassignedon"] = Day(2026, 10, 1),
            ["pg_assignmentrun"] = "pg-wave-1",
        });
        var service = org.GetService();
        service.Update(new Entity("account", Iota)
        {
            ["pg_assignedpartnerid"] = new EntityReference("account", Scenario.Fabrikam),
            ["pg_partnerassignedon"] = Day(2026, 11, 15),
            ["pg_assignmentrun"] = "pg-wave-2",
        });
        service.Update(new Entity("account", Iota)
        {
            ["pg_assignedpartnerid"] = new EntityReference("account", Scenario.Northwind),
            ["pg_partnerassignedon"] = Day(2026, 11, 20),
            ["pg_assignmentrun"] = "pg-wave-3",
        });

        org.Seed(Deal(11, AtDeal, 70_000m, 723100000, partner: Scenario.Northwind));
        var direct = Deal(12, PlusDeal, 300_000m, 723100001);
        direct["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", AutumnPromo);
        direct["pg_channeldecidedon"] = Day(2026, 11, 10);
        org.Seed(direct);

        org.Seed(new Entity("pg_reassignmentrun")
        {
            ["pg_name"] = "pg-wave-3",
            ["pg_startedon"] = Day(2026, 11, 20),
            ["pg_finishedon"] = Day(2026, 11, 21),
            ["pg_status"] = new OptionSetValue(723100002),
            ["pg_strategy"] = "balanced",
            ["pg_planned"] = 1,
            ["pg_applied"] = 1,
        });
        return org;
    }

    private static Entity Deal(int n, string name, decimal value, int channel, Guid? partner = null)
    {
        var row = new Entity("opportunity", new Guid($"d0000000-0000-0000-0000-{n:D12}"))
        {
            ["name"] = name,
            ["customerid"] = new EntityReference("account", Iota),
            ["estimatedvalue"] = new Money(value),
            ["pg_channel"] = new OptionSetValue(channel),
        };
        if (partner is { } p)
        {
            row["pg_partnerid"] = new EntityReference("account", p);
        }

        return row;
    }

    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);
}
