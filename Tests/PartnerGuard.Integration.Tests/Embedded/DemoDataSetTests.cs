using System.Globalization;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>The demo data set: deterministic, clearly labelled, and holding what the demo story needs.</summary>
public sealed class DemoDataSetTests
{
    private static readonly Lazy<DataverseOrg> Shared = new(() => EmbeddedOrg.CreateSeeded(SolutionSource.Locate(), null, out _));

    /// <summary>Columns that point at rows every org creates with fresh ids (administrator, business unit, currency).</summary>
    private static readonly HashSet<string> PerOrgColumns = new(StringComparer.Ordinal)
    {
        "ownerid", "createdby", "modifiedby", "owningbusinessunit", "businessunitid", "transactioncurrencyid", "owninguser", "owningteam",
    };

    [Fact]
    public void SeedInto_TwoFreshOrgs_GiveIdenticalRows()
    {
        var first = EmbeddedOrg.CreateSeeded(SolutionSource.Locate(), null, out var firstSummary);
        var second = EmbeddedOrg.CreateSeeded(SolutionSource.Locate(), null, out var secondSummary);

        Assert.Equal(firstSummary, secondSummary);
        foreach (var table in new[] { "account", "opportunity", "pg_directsalesrule", "team" })
        {
            var a = Rows(first, table);
            var b = Rows(second, table);
            Assert.True(a.Count > 0, table);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void SeedInto_EveryDemoRowIsLabelled()
    {
        var org = Shared.Value;
        var accounts = All(org, "account");
        var deals = All(org, "opportunity");

        Assert.All(accounts, a => Assert.EndsWith(" " + DemoDataSet.Label, a.GetAttributeValue<string>("name")));
        Assert.All(accounts, a => Assert.Equal(DemoDataSet.Description, a.GetAttributeValue<string>("description")));
        Assert.All(deals, d => Assert.EndsWith(" " + DemoDataSet.Label, d.GetAttributeValue<string>("name")));
        Assert.All(All(org, "pg_directsalesrule"), r => Assert.EndsWith(" " + DemoDataSet.Label, r.GetAttributeValue<string>("pg_name")));
    }

    [Fact]
    public void SeedInto_CustomersSpreadOverCountriesSizesAndHierarchies()
    {
        var customers = All(Shared.Value, "account").Where(a => !IsPartner(a)).ToList();

        Assert.Equal(DemoDataSet.CustomerCount, customers.Count);

        // Countries as people type them: every value normalises to an ISO code, in several spellings per country.
        var countries = customers.Select(a => a.GetAttributeValue<string>(AccountColumns.Country)).Where(c => c is not null).ToList();
        Assert.All(countries, c => Assert.True(CountryNormalizer.TryNormalize(c, out _), $"'{c}' does not normalise"));
        var byIso = countries.GroupBy(c => CountryNormalizer.TryNormalize(c, out var iso) ? iso : "?").ToDictionary(g => g.Key, g => g.Distinct(StringComparer.Ordinal).Count());
        Assert.True(byIso.Count >= 15, $"{byIso.Count} countries");
        Assert.True(byIso["US"] >= 5 && byIso["DE"] >= 4 && byIso["GB"] >= 5);
        Assert.Contains(countries, c => c == "usa");

        // Sizes: some enterprise, some small, some unknown.
        Assert.InRange(customers.Count(a => a.GetAttributeValue<Money>("revenue")?.Value >= 1_000_000_000m), 5, 150);
        Assert.InRange(customers.Count(a => a.GetAttributeValue<int?>("numberofemployees") < DemoDataSet.SmallCustomerEmployees), 30, 400);
        Assert.Contains(customers, a => !a.Contains("revenue"));

        // Hierarchies: subsidiaries, one of them two levels below its group's parent.
        var parents = customers.Where(a => a.Contains(AccountColumns.ParentAccountId)).ToDictionary(a => a.Id, a => a.GetAttributeValue<EntityReference>(AccountColumns.ParentAccountId).Id);
        Assert.True(parents.Count >= 10);
        Assert.Contains(parents, p => parents.ContainsKey(p.Value));
    }

    [Fact]
    public void SeedInto_PartnersHaveTypesCapacitiesTerritoriesAndTeams()
    {
        var partners = All(Shared.Value, "account").Where(IsPartner).ToList();

        Assert.InRange(partners.Count, 24, 60);
        Assert.Contains(partners, p => p.GetAttributeValue<OptionSetValue>(AccountColumns.RelationshipType).Value == 9);
        Assert.Contains(partners, p => p.Contains(AccountColumns.PartnerCapacity));
        Assert.Contains(partners, p => !p.Contains(AccountColumns.PartnerCapacity));
        Assert.Contains(partners, p => !p.Contains(AccountColumns.PartnerCountries));
        Assert.All(
            partners.Where(p => p.Contains(AccountColumns.PartnerCountries)).SelectMany(p => p.GetAttributeValue<string>(AccountColumns.PartnerCountries).Split(',')),
            code => Assert.Matches("^[A-Z]{2}$", code));
        Assert.True(partners.Count(p => p.Contains(AccountColumns.PartnerTeamId)) >= 10);
    }

    [Fact]
    public void SeedInto_RulesAndDealsGiveTheStoryWhatItNeeds()
    {
        var org = Shared.Value;
        var accounts = All(org, "account");
        var rules = All(org, "pg_directsalesrule");
        var deals = All(org, "opportunity");
        AccountNamed(accounts, DemoDataSet.UncoveredCustomerName);

        // The four kinds the story uses, with the parameters it prints.
        Assert.Equal(
            new[] { DirectSalesRuleKind.CustomerSizeAbove, DirectSalesRuleKind.CustomerSizeBelow, DirectSalesRuleKind.Geography, DirectSalesRuleKind.NamedAccount },
            rules.Select(r => (DirectSalesRuleKind)r.GetAttributeValue<OptionSetValue>("pg_kind").Value).Order().ToArray());
        var enterprise = rules.Single(r => r.GetAttributeValue<string>("pg_name") == DemoDataSet.EnterpriseRuleName);
        Assert.Equal(1_000_000_000m, enterprise.GetAttributeValue<decimal>("pg_threshold"));
        var house = rules.Single(r => r.GetAttributeValue<string>("pg_name") == DemoDataSet.HouseAccountRuleName);
        Assert.Equal(AccountNamed(accounts, DemoDataSet.HouseAccountName).Id, house.GetAttributeValue<EntityReference>("pg_accountid").Id);
        Assert.True(house.GetAttributeValue<bool>("pg_includesubsidiaries"));

        // The story's customers.
        var assigned = AccountNamed(accounts, DemoDataSet.AssignedCustomerName);
        Assert.Equal(AccountNamed(accounts, DemoDataSet.AssignedPartnerName).Id, assigned.GetAttributeValue<EntityReference>(AccountColumns.AssignedPartnerId).Id);
        Assert.Equal(2_300_000_000m, AccountNamed(accounts, DemoDataSet.EnterpriseCustomerName).GetAttributeValue<Money>("revenue").Value);

        // Plenty of customers a wave can take: not partners, no partner yet, mid-sized, outside the direct geographies and the house account.
        var houseFamily = accounts.Where(a => a.GetAttributeValue<string>("name").StartsWith("Contoso Pharma", StringComparison.Ordinal)).Select(a => a.Id).ToHashSet();
        var eligible = accounts.Count(a => !IsPartner(a)
            && !a.Contains(AccountColumns.AssignedPartnerId)
            && a.GetAttributeValue<int?>("numberofemployees") >= DemoDataSet.SmallCustomerEmployees
            && a.GetAttributeValue<Money>("revenue")?.Value < 1_000_000_000m
            && CountryNormalizer.TryNormalize(a.GetAttributeValue<string>(AccountColumns.Country), out var iso) && iso is not ("JP" or "KR")
            && !houseFamily.Contains(a.Id));
        Assert.True(eligible >= 1_500, $"{eligible} eligible");
        Assert.InRange(accounts.Count(a => !IsPartner(a) && a.Contains(AccountColumns.AssignedPartnerId)), 150, 600);

        // Deals recorded by the plugin while the org was in Audit mode: every outcome occurs, all open.
        Assert.Equal(DemoDataSet.OpenDealCount, deals.Count);
        var channels = deals.GroupBy(d => d.GetAttributeValue<OptionSetValue>("pg_channel")?.Value).ToDictionary(g => g.Key ?? 0, g => g.Count());
        Assert.True(channels[ChannelOptionValues.Partner] > 100);
        Assert.True(channels[ChannelOptionValues.Direct] > 10);
        Assert.True(channels[ChannelOptionValues.Unresolved] > 50);
        Assert.Contains(deals, d => d.GetAttributeValue<string>("pg_channelreason")?.Contains("attached automatically", StringComparison.Ordinal) == true);
        Assert.All(deals, d => Assert.Equal(0, d.GetAttributeValue<OptionSetValue>("statecode").Value));
    }

    private static bool IsPartner(Entity account) => account.GetAttributeValue<OptionSetValue>(AccountColumns.RelationshipType)?.Value is 5 or 9;

    private static Entity AccountNamed(IEnumerable<Entity> accounts, string name) => accounts.Single(a => a.GetAttributeValue<string>("name") == name);

    private static List<Entity> All(DataverseOrg org, string table)
        => org.GetService().RetrieveMultiple(new QueryExpression(table) { ColumnSet = new ColumnSet(true) }).Entities.ToList();

    /// <summary>Each row as "id|column=value|…" over the columns that do not point at per-org system rows, sorted.</summary>
    private static List<string> Rows(DataverseOrg org, string table) => All(org, table)
        .Select(e => e.Id.ToString("D") + "|" + string.Join("|", e.Attributes
            .Where(a => !PerOrgColumns.Contains(a.Key))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Key + "=" + Render(a.Value))))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static string Render(object? value) => value switch
    {
        null => "null",
        EntityReference r => r.LogicalName + ":" + r.Id.ToString("D"),
        OptionSetValue o => o.Value.ToString(CultureInfo.InvariantCulture),
        Money m => m.Value.ToString(CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
