using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Policy.Schema;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Embedded;

/// <summary>What <see cref="DemoDataSet.SeedInto"/> put into an org.</summary>
internal sealed record DemoDataSummary(
    int Customers,
    int Subsidiaries,
    int Partners,
    int PartnerTeams,
    int AssignedCustomers,
    int Rules,
    int OpenDeals,
    int Sellers);

/// <summary>
/// The demo data set of the embedded local org: fictional customers, partners, open deals and direct sales rules,
/// every row labelled "(demo)" in its name and described as generated demo data. Deterministic: one seeded
/// <see cref="Random"/> drives every choice and every row id, so the same first run always gives the same org.
/// </summary>
/// <remarks>
/// How it is written, and in which enforcement mode the org ends up:
/// <list type="number">
/// <item>users, teams, partners and customers are seeded directly into the org (<see cref="DataverseOrg.Seed(IEnumerable{Entity})"/>,
/// no plugins, nothing can be blocked);</item>
/// <item>the direct sales rules are created through the organization service, so the solution's rule validator
/// checks them as it checks an admin's rules;</item>
/// <item>the open deals are created through the organization service by demo sellers while the org is in
/// <c>Audit</c> mode (the product's default after import): the channel plugin records a decision on every deal,
/// Partner, Direct or Unresolved, as a pipeline recorded before the rollout would look;</item>
/// <item>finally <c>pg_EnforcementMode</c> is set to <c>Enforce</c>: the embedded org is the place to see the
/// product work, so a new deal without a partner or exception is refused (PG-001).</item>
/// </list>
/// </remarks>
internal static class DemoDataSet
{
    /// <summary>The seed of the generator; change it and the data set changes.</summary>
    public const int RandomSeed = 20261127;

    /// <summary>The label every demo row carries in its name.</summary>
    public const string Label = "(demo)";

    /// <summary>The description every demo account and deal carries.</summary>
    public const string Description = "PartnerGuard demo data: generated, fictional, not a real company or deal.";

    public const int CustomerCount = 3000;
    public const int OpenDealCount = 800;

    /// <summary>The enforcement mode the demo org runs in once seeded (see the remarks above).</summary>
    public const string EnforcementMode = "Enforce";

    /// <summary>A house account handled direct with its subsidiaries (the named-account rule).</summary>
    public const string HouseAccountName = "Contoso Pharmaceuticals AG (demo)";

    /// <summary>A customer no rule covers and no partner owns: a deal without a partner is blocked in Enforce mode.</summary>
    public const string UncoveredCustomerName = "Harbor Freight Lines Ltd (demo)";

    /// <summary>A customer with an assigned partner: a deal without a partner gets that partner attached.</summary>
    public const string AssignedCustomerName = "Meridian Health GmbH (demo)";

    /// <summary>The partner assigned to <see cref="AssignedCustomerName"/>.</summary>
    public const string AssignedPartnerName = "Northwind Solutions (demo)";

    /// <summary>An enterprise customer (annual revenue 2,300,000,000): handled direct by the Enterprise rule.</summary>
    public const string EnterpriseCustomerName = "Summit Energy Corp. (demo)";

    public const string EnterpriseRuleName = "Enterprise (demo)";
    public const string GeographyRuleName = "Japan and Korea direct (demo)";
    public const string HouseAccountRuleName = "Contoso Pharmaceuticals house account (demo)";
    public const string SmallCustomerRuleName = "Small customers via web store (demo)";

    /// <summary>Customers below this many employees are handled direct by the small-customer rule.</summary>
    public const int SmallCustomerEmployees = 10;

    private const int Customer = 3;
    private const int PartnerType = 5;
    private const int ResellerType = 9;

    /// <summary>The moment the data set is seeded at (the org's clock while seeding; see <see cref="SeedingClock"/>).</summary>
    public static readonly DateTimeOffset SeededOn = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>When the earlier, pre-demo assignment wave ran (fixed, so the data set is the same every time).</summary>
    private static readonly DateTime EarlierWave = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private const string EarlierWaveRun = "demo-2026-03-wave-1";

    /// <summary>Deals close within six months of this date.</summary>
    private static readonly DateTime CloseDateAnchor = new(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Seeds the data set into an org that has the PartnerGuard solution loaded; returns what it wrote.</summary>
    public static DemoDataSummary SeedInto(DataverseOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        var random = new Random(RandomSeed);
        var generator = new Generator(org, random);
        return generator.Run();
    }

    private sealed class Generator
    {
        private readonly DataverseOrg _org;
        private readonly Random _random;
        private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<Entity> _rows = new();
        private readonly List<PartnerRow> _partners = new();
        private readonly List<CustomerRow> _customers = new();

        public Generator(DataverseOrg org, Random random)
        {
            _org = org;
            _random = random;
        }

        public DemoDataSummary Run()
        {
            _org.SetEnvironmentVariable(SettingNames.EnforcementMode, "Audit");
            // The demo users hold the roles solution/README.md says to give; the first demo seller is the demo user
            // "Sam Seller" (its id fixed, the generator's draw kept so the rest of the data set stays the same).
            DemoUsers.AddTo(_org);
            var sellers = DemoCatalog.Sellers.Select((name, i) => NextGuid() is var id && i == 0
                ? DemoUsers.Seller.Id
                : DemoUsers.AddSeller(_org, name, id)).ToArray();

            var teams = AddPartners();
            var subsidiaries = AddHierarchies();
            AddStoryCustomers();
            while (_customers.Count < CustomerCount)
            {
                AddCustomer(DemoCatalog.PickCountry(_random), parent: null);
            }

            var assigned = AssignEarlierWave();
            _org.Seed(_rows);

            var rules = AddRules();
            var deals = AddOpenDeals(sellers);

            _org.SetEnvironmentVariable(SettingNames.EnforcementMode, EnforcementMode);
            return new DemoDataSummary(_customers.Count, subsidiaries, _partners.Count, teams, assigned, rules, deals, sellers.Length);
        }

        private int AddPartners()
        {
            var teams = 0;
            for (var i = 0; i < DemoCatalog.PartnerNames.Length; i++)
            {
                var territory = DemoCatalog.Territories[i % DemoCatalog.Territories.Length];
                var country = territory.Length == 0 ? DemoCatalog.Countries[0] : DemoCatalog.Countries.First(c => c.Iso == territory[0]);
                var id = NextGuid();
                var partner = new Entity(AccountColumns.Table, id)
                {
                    [AccountColumns.Name] = Unique(DemoCatalog.PartnerNames[i] + " " + Label),
                    ["accountnumber"] = $"DEMO-P{i + 1:000}",
                    [AccountColumns.RelationshipType] = new OptionSetValue(i % 3 == 2 ? ResellerType : PartnerType),
                    [AccountColumns.Country] = country.Names[0],
                    ["address1_city"] = country.Cities[_random.Next(country.Cities.Length)],
                    [AccountColumns.NumberOfEmployees] = 20 + _random.Next(400),
                    ["revenue"] = new Money(Math.Round((decimal)(2_000_000 + (_random.NextDouble() * 60_000_000)), 0)),
                    ["description"] = Description,
                };
                if (territory.Length > 0)
                {
                    partner[AccountColumns.PartnerCountries] = string.Join(",", territory);
                }

                int? capacity = i % 4 == 0 ? null : 25 * (1 + _random.Next(8));
                if (capacity is { } cap)
                {
                    partner[AccountColumns.PartnerCapacity] = cap;
                }

                if (i % 2 == 0)
                {
                    var team = new Entity("team", NextGuid())
                    {
                        ["name"] = $"Partner team: {DemoCatalog.PartnerNames[i]} {Label}",
                        ["businessunitid"] = new EntityReference("businessunit", _org.RootBusinessUnitId),
                        ["teamtype"] = new OptionSetValue(0),
                    };
                    _rows.Add(team);
                    partner[AccountColumns.PartnerTeamId] = team.ToEntityReference();
                    teams++;
                }

                _rows.Add(partner);
                _partners.Add(new PartnerRow(id, partner.GetAttributeValue<string>(AccountColumns.Name), territory, capacity));
            }

            return teams;
        }

        private int AddHierarchies()
        {
            var subsidiaries = 0;
            foreach (var group in DemoCatalog.Groups)
            {
                var parentCountry = DemoCatalog.Countries.First(c => c.Iso == group.Iso);
                var parent = AddCustomer(parentCountry, null, group.Name + " " + Label, group.Revenue, group.Employees);
                var previous = parent;
                foreach (var (name, iso, nested) in group.Subsidiaries)
                {
                    var country = DemoCatalog.Countries.First(c => c.Iso == iso);
                    var revenue = Math.Round((decimal)(5_000_000 + (_random.NextDouble() * 150_000_000)), 0);
                    var child = AddCustomer(country, nested ? previous : parent, name + " " + Label, revenue, 40 + _random.Next(900));
                    previous = child;
                    subsidiaries++;
                }
            }

            return subsidiaries;
        }

        private void AddStoryCustomers()
        {
            AddCustomer(DemoCatalog.Countries.First(c => c.Iso == "GB"), null, UncoveredCustomerName, 120_000_000m, 850);
            AddCustomer(DemoCatalog.Countries.First(c => c.Iso == "DE"), null, AssignedCustomerName, 95_000_000m, 610);
            AddCustomer(DemoCatalog.Countries.First(c => c.Iso == "US"), null, EnterpriseCustomerName, 2_300_000_000m, 9_800);
        }

        private CustomerRow AddCustomer(DemoCatalog.Country country, CustomerRow? parent, string? name = null, decimal? revenue = null, int? employees = null)
        {
            var id = NextGuid();
            var (city, state) = country.Cities[_random.Next(country.Cities.Length)] is var c && c.Contains('|', StringComparison.Ordinal)
                ? (c.Split('|')[0], c.Split('|')[1])
                : (c, (string?)null);
            var account = new Entity(AccountColumns.Table, id)
            {
                [AccountColumns.Name] = name is null ? CompanyName(country, city) : Unique(name),
                ["accountnumber"] = $"DEMO-{_customers.Count + 1:00000}",
                [AccountColumns.RelationshipType] = new OptionSetValue(Customer),
                ["address1_city"] = city,
                ["description"] = Description,
            };

            // Country as people type it: names, codes and aliases in any case; a few customers have none.
            if (name is not null || _random.NextDouble() >= 0.02)
            {
                account[AccountColumns.Country] = name is null ? country.Names[_random.Next(country.Names.Length)] : country.Names[0];
            }

            if (state is not null)
            {
                account[AccountColumns.StateOrProvince] = state;
            }

            // Size: employees log-normal around 120 (about 6 % below 10), revenue 60k–300k per employee;
            // a few customers have no revenue or no head count on file (an unknown measure matches no rule).
            var staff = employees ?? (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(120) + (1.6 * Gaussian()))), 1, 250_000);
            if (employees is not null || _random.NextDouble() >= 0.03)
            {
                account[AccountColumns.NumberOfEmployees] = staff;
            }

            var money = revenue ?? 1_000m * Math.Round((decimal)(staff * (60 + (_random.NextDouble() * 240))), 0);
            if (revenue is not null || _random.NextDouble() >= 0.04)
            {
                account["revenue"] = new Money(money);
            }

            if (parent is not null)
            {
                account[AccountColumns.ParentAccountId] = new EntityReference(AccountColumns.Table, parent.Id);
            }

            _rows.Add(account);
            var row = new CustomerRow(id, account, account.Contains(AccountColumns.Country) ? country.Iso : null);
            _customers.Add(row);
            return row;
        }

        /// <summary>An earlier wave assigned about one customer in eight to a partner serving its country.</summary>
        private int AssignEarlierWave()
        {
            var load = _partners.ToDictionary(p => p.Id, _ => 0);
            var assigned = 0;
            foreach (var customer in _customers)
            {
                var name = customer.Account.GetAttributeValue<string>(AccountColumns.Name);
                PartnerRow? partner = null;
                if (name == AssignedCustomerName)
                {
                    partner = _partners.First(p => p.Name == AssignedPartnerName);
                }
                else if (name is UncoveredCustomerName or EnterpriseCustomerName || _random.NextDouble() >= 0.12)
                {
                    continue;
                }
                else
                {
                    var serving = Serving(customer.Iso).Where(p => p.Capacity is null || load[p.Id] < p.Capacity / 2).ToArray();
                    if (serving.Length == 0)
                    {
                        continue;
                    }

                    partner = serving[_random.Next(serving.Length)];
                }

                customer.Account[AccountColumns.AssignedPartnerId] = new EntityReference(AccountColumns.Table, partner.Id);
                customer.Account[AccountColumns.PartnerAssignedOn] = EarlierWave;
                customer.Account[AccountColumns.AssignmentRun] = EarlierWaveRun;
                customer.AssignedPartner = partner;
                load[partner.Id]++;
                assigned++;
            }

            return assigned;
        }

        private int AddRules()
        {
            var admin = _org.GetService();
            var house = _customers.First(c => c.Account.GetAttributeValue<string>(AccountColumns.Name) == HouseAccountName);
            var rules = new[]
            {
                Rule(HouseAccountRuleName, DirectSalesRuleKind.NamedAccount, 5, "Contoso Pharmaceuticals and its subsidiaries are a house account of the direct team under the 2026 global agreement.", r =>
                {
                    r[DirectSalesRuleColumns.AccountId] = new EntityReference(AccountColumns.Table, house.Id);
                    r[DirectSalesRuleColumns.IncludeSubsidiaries] = true;
                }),
                Rule(EnterpriseRuleName, DirectSalesRuleKind.CustomerSizeAbove, 10, "Customers with annual revenue of 1 billion or more are served by the enterprise direct team.", r =>
                {
                    r[DirectSalesRuleColumns.Measure] = new OptionSetValue((int)SizeMeasure.AnnualRevenue);
                    r[DirectSalesRuleColumns.Threshold] = 1_000_000_000m;
                }),
                Rule(GeographyRuleName, DirectSalesRuleKind.Geography, 20, "Japan and South Korea are served by the Tokyo direct office; no partner programme there yet.", r =>
                    r[DirectSalesRuleColumns.Countries] = "JP,KR"),
                Rule(SmallCustomerRuleName, DirectSalesRuleKind.CustomerSizeBelow, 30, $"Customers with fewer than {SmallCustomerEmployees} employees buy through the web store.", r =>
                {
                    r[DirectSalesRuleColumns.Measure] = new OptionSetValue((int)SizeMeasure.Employees);
                    r[DirectSalesRuleColumns.Threshold] = (decimal)SmallCustomerEmployees;
                }),
            };
            foreach (var rule in rules)
            {
                admin.Create(rule);
            }

            return rules.Length;
        }

        private Entity Rule(string name, DirectSalesRuleKind kind, int priority, string why, Action<Entity> parameters)
        {
            var rule = new Entity(DirectSalesRuleColumns.Table, NextGuid())
            {
                [DirectSalesRuleColumns.Name] = name,
                [DirectSalesRuleColumns.Kind] = new OptionSetValue((int)kind),
                [DirectSalesRuleColumns.Priority] = priority,
                [DirectSalesRuleColumns.Description] = why,
            };
            parameters(rule);
            return rule;
        }

        /// <summary>
        /// Open deals by demo sellers: on customers with an assigned partner, half name it and half leave it to be
        /// attached; on the others, 45 % name a partner serving the customer's country and the rest name none
        /// (Direct when a rule covers the customer, else Unresolved: the leakage an audit finds).
        /// </summary>
        private int AddOpenDeals(Guid[] sellers)
        {
            var services = sellers.Select(s => _org.GetService(s)).ToArray();
            for (var i = 0; i < OpenDealCount; i++)
            {
                var customer = _customers[_random.Next(_customers.Count)];
                var deal = new Entity(OpportunityColumns.Table, NextGuid())
                {
                    ["name"] = $"{ShortName(customer)} – {DemoCatalog.Products[_random.Next(DemoCatalog.Products.Length)]} {Label}",
                    [OpportunityColumns.CustomerId] = new EntityReference(AccountColumns.Table, customer.Id),
                    [OpportunityColumns.EstimatedValue] = new Money(100m * Math.Round((decimal)Math.Exp(Math.Log(50) + (_random.NextDouble() * Math.Log(500))), 0)),
                    ["estimatedclosedate"] = CloseDateAnchor.AddDays(_random.Next(180)),
                    ["closeprobability"] = 10 * (1 + _random.Next(9)),
                    ["description"] = Description,
                };
                PartnerRow? partner;
                if (customer.AssignedPartner is { } assigned)
                {
                    partner = _random.NextDouble() < 0.5 ? assigned : null;
                }
                else
                {
                    var serving = Serving(customer.Iso).ToArray();
                    partner = serving.Length > 0 && _random.NextDouble() < 0.45 ? serving[_random.Next(serving.Length)] : null;
                }

                if (partner is not null)
                {
                    deal[OpportunityColumns.PartnerId] = new EntityReference(AccountColumns.Table, partner.Id);
                }

                services[_random.Next(services.Length)].Create(deal);
            }

            return OpenDealCount;
        }

        private IEnumerable<PartnerRow> Serving(string? iso)
            => _partners.Where(p => p.Countries.Length == 0 || (iso is not null && p.Countries.Contains(iso, StringComparer.Ordinal)));

        private string CompanyName(DemoCatalog.Country country, string city)
        {
            var stem = $"{DemoCatalog.NameStems[_random.Next(DemoCatalog.NameStems.Length)]} {DemoCatalog.NameTrades[_random.Next(DemoCatalog.NameTrades.Length)]}";
            var suffix = country.LegalForms[_random.Next(country.LegalForms.Length)];
            foreach (var candidate in new[] { $"{stem} {suffix}", $"{stem} {city} {suffix}" })
            {
                if (_names.Add(candidate + " " + Label))
                {
                    return candidate + " " + Label;
                }
            }

            for (var n = 2; ; n++)
            {
                var candidate = $"{stem} {city} {n} {suffix} {Label}";
                if (_names.Add(candidate))
                {
                    return candidate;
                }
            }
        }

        private string Unique(string name) => _names.Add(name) ? name : throw new InvalidOperationException($"The demo data set names '{name}' twice.");

        private static string ShortName(CustomerRow customer)
        {
            var name = customer.Account.GetAttributeValue<string>(AccountColumns.Name);
            return name.EndsWith(" " + Label, StringComparison.Ordinal) ? name[..^(Label.Length + 1)] : name;
        }

        private double Gaussian()
        {
            // Box–Muller from two uniforms of the seeded generator.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        private Guid NextGuid()
        {
            Span<byte> bytes = stackalloc byte[16];
            _random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, like generated ids
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }
    }

    private sealed record PartnerRow(Guid Id, string Name, string[] Countries, int? Capacity);

    private sealed class CustomerRow(Guid id, Entity account, string? iso)
    {
        public Guid Id { get; } = id;

        public Entity Account { get; } = account;

        /// <summary>The customer's country code; null when the account has no country.</summary>
        public string? Iso { get; } = iso;

        public PartnerRow? AssignedPartner { get; set; }
    }
}
