namespace PartnerGuard.Integration.Embedded;

/// <summary>
/// The word lists the demo data set draws from: countries as people type them, fictional company names,
/// partners, their territories and the parent/subsidiary groups. All names are invented.
/// </summary>
internal static class DemoCatalog
{
    /// <summary>A country: its ISO code, relative weight among customers, the ways people write it, cities ("City|State") and legal forms.</summary>
    internal sealed record Country(string Iso, int Weight, string[] Names, string[] Cities, string[] LegalForms);

    /// <summary>A parent company, its subsidiaries (name, ISO, true when it sits under the previous subsidiary), revenue and head count.</summary>
    internal sealed record Group(string Name, string Iso, decimal Revenue, int Employees, (string Name, string Iso, bool UnderPrevious)[] Subsidiaries);

    public static Country[] Countries { get; } =
    {
        new("US", 30, new[] { "United States", "USA", "US", "United States of America", "usa", "U.S.A.", "united states" },
            new[] { "Seattle|WA", "Chicago|IL", "Austin|TX", "Boston|MA", "Denver|CO", "Atlanta|GA", "San Jose|CA" }, new[] { "Inc.", "LLC", "Corp." }),
        new("GB", 10, new[] { "United Kingdom", "UK", "GB", "England", "Great Britain", "united kingdom", "Scotland" },
            new[] { "London", "Manchester", "Leeds", "Edinburgh", "Bristol" }, new[] { "Ltd", "plc" }),
        new("DE", 10, new[] { "Germany", "DE", "Deutschland", "germany", "GERMANY" },
            new[] { "Berlin", "Munich", "Hamburg", "Cologne", "Stuttgart" }, new[] { "GmbH", "AG" }),
        new("FR", 7, new[] { "France", "FR", "france" }, new[] { "Paris", "Lyon", "Toulouse", "Lille" }, new[] { "SA", "SAS" }),
        new("NL", 5, new[] { "Netherlands", "The Netherlands", "Holland", "NL", "nederland" }, new[] { "Amsterdam", "Rotterdam", "Utrecht", "Eindhoven" }, new[] { "B.V." }),
        new("CA", 5, new[] { "Canada", "CA", "canada" }, new[] { "Toronto|ON", "Vancouver|BC", "Montreal|QC", "Calgary|AB" }, new[] { "Inc.", "Ltd." }),
        new("AU", 4, new[] { "Australia", "AU", "australia" }, new[] { "Sydney", "Melbourne", "Brisbane", "Perth" }, new[] { "Pty Ltd" }),
        new("JP", 4, new[] { "Japan", "JP", "japan" }, new[] { "Tokyo", "Osaka", "Nagoya" }, new[] { "K.K." }),
        new("KR", 2, new[] { "South Korea", "KR", "Republic of Korea" }, new[] { "Seoul", "Busan" }, new[] { "Co., Ltd." }),
        new("BR", 3, new[] { "Brazil", "BR", "Brasil" }, new[] { "São Paulo", "Rio de Janeiro", "Curitiba" }, new[] { "Ltda." }),
        new("ES", 3, new[] { "Spain", "ES", "España", "spain" }, new[] { "Madrid", "Barcelona", "Valencia" }, new[] { "S.L.", "S.A." }),
        new("IT", 3, new[] { "Italy", "IT", "Italia" }, new[] { "Milan", "Rome", "Turin" }, new[] { "S.p.A.", "S.r.l." }),
        new("SE", 2, new[] { "Sweden", "SE", "Sverige" }, new[] { "Stockholm", "Gothenburg" }, new[] { "AB" }),
        new("CH", 2, new[] { "Switzerland", "CH", "Schweiz" }, new[] { "Zurich", "Geneva", "Basel" }, new[] { "AG", "SA" }),
        new("AT", 2, new[] { "Austria", "AT", "Österreich" }, new[] { "Vienna", "Graz" }, new[] { "GmbH" }),
        new("IE", 2, new[] { "Ireland", "IE", "Republic of Ireland" }, new[] { "Dublin", "Cork" }, new[] { "Ltd" }),
        new("IN", 3, new[] { "India", "IN", "india" }, new[] { "Bengaluru", "Mumbai", "Pune" }, new[] { "Pvt Ltd" }),
        new("MX", 2, new[] { "Mexico", "MX", "México" }, new[] { "Mexico City", "Monterrey" }, new[] { "S.A. de C.V." }),
    };

    /// <summary>Partner territories (ISO lists; empty = any country). Partner i serves territory i mod the count.</summary>
    public static string[][] Territories { get; } =
    {
        new[] { "US" }, new[] { "US", "CA" }, new[] { "GB", "IE" }, new[] { "DE", "AT", "CH" }, new[] { "FR", "BE", "LU" },
        new[] { "NL", "BE" }, new[] { "AU", "NZ" }, new[] { "BR" }, new[] { "ES", "PT" }, new[] { "IT" },
        new[] { "SE", "NO", "DK", "FI" }, new[] { "IN" }, new[] { "MX" }, Array.Empty<string>(),
    };

    /// <summary>Partner names; the fourth (index 3) serves DE/AT/CH and owns the story's assigned customer.</summary>
    public static string[] PartnerNames { get; } =
    {
        "Lakeshore IT Partners", "Maple Leaf Systems", "Thames Valley Consulting", "Northwind Solutions", "Lumière Conseil",
        "Polder Digital", "Southern Cross Integrators", "Ipanema Tecnologia", "Meseta Consultores", "Adriatica Software",
        "Nordlys Partners", "Chennai Cloud Services", "Azteca Integraciones", "Globe Reseller Network",
        "Prairie Data Partners", "Great Lakes Resellers", "Pennine Solutions", "Alpen Cloud GmbH", "Seine Numérique",
        "Deltaweg Partners", "Harbour Bridge IT", "Paulista Sistemas", "Iberia Cloud", "Dolomiti Consulting",
        "Fjord Systems", "Deccan Digital", "Sierra Madre TI", "Worldwide Channel Co.",
        "Cascade Partners", "Frontier Resellers", "Celtic Cloud", "Rhein Consulting", "Provence Systèmes", "Zeeland Data",
        "Coral Coast Partners", "Amazonia Digital",
    };

    public static Group[] Groups { get; } =
    {
        new("Contoso Pharmaceuticals AG", "DE", 650_000_000m, 2_400, new[]
        {
            ("Contoso Pharmaceuticals UK Ltd", "GB", false), ("Contoso Pharmaceuticals France SAS", "FR", false),
            ("Contoso Pharma Research Inc.", "US", false), ("Contoso Pharma Research Labs LLC", "US", true),
        }),
        new("Fabrikam Group plc", "GB", 2_100_000_000m, 11_500, new[]
        {
            ("Fabrikam Retail Ltd", "GB", false), ("Fabrikam Logistics B.V.", "NL", false), ("Fabrikam Ireland Ltd", "IE", false),
        }),
        new("Adventure Works Holdings Inc.", "US", 480_000_000m, 1_900, new[]
        {
            ("Adventure Works Outdoor LLC", "US", false), ("Adventure Works Canada Inc.", "CA", false),
        }),
        new("Tailspin Industries GmbH", "DE", 310_000_000m, 1_350, new[]
        {
            ("Tailspin Aviation Services GmbH", "AT", false), ("Tailspin Composites AG", "CH", false), ("Tailspin Italia S.r.l.", "IT", false),
        }),
        new("Woodgrove Retail Group Pty Ltd", "AU", 220_000_000m, 3_100, new[]
        {
            ("Woodgrove Stores Pty Ltd", "AU", false), ("Woodgrove Online Pty Ltd", "AU", true),
        }),
    };

    public static string[] Sellers { get; } = { "Sam Seller", "Priya Patel", "Jonas Weber", "Ana Souza", "Kenji Sato", "Claire Martin" };

    public static string[] Products { get; } =
    {
        "CRM rollout", "Analytics suite", "Field service", "Renewal", "Cloud migration", "Support plan", "Expansion seats", "Pilot",
    };

    public static string[] NameStems { get; } =
    {
        "Alder", "Birch", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper", "Kestrel", "Lumen",
        "Meridian", "Nimbus", "Orchid", "Pinnacle", "Quartz", "Riverside", "Summit", "Tidewater", "Umber", "Vertex",
        "Willow", "Yarrow", "Zephyr", "Aspen", "Beacon", "Cedar", "Driftwood", "Evergreen", "Foxglove", "Glacier",
        "Hawthorn", "Ironwood", "Jasper", "Keystone", "Lakeview", "Maplewood", "Northgate", "Oakridge", "Pioneer",
        "Redwood", "Silverline", "Thornbury", "Upland", "Valleyview", "Westbrook", "Bluewater",
    };

    public static string[] NameTrades { get; } =
    {
        "Logistics", "Foods", "Manufacturing", "Health", "Analytics", "Retail", "Energy", "Textiles", "Robotics",
        "Pharma", "Software", "Engineering", "Construction", "Media", "Insurance", "Telecom", "Motors", "Chemicals",
        "Farms", "Hotels", "Labs", "Aerospace", "Advisory", "Outfitters", "Capital", "Dental", "Freight", "Printing",
        "Security", "Water",
    };

    /// <summary>A country drawn by weight.</summary>
    public static Country PickCountry(Random random)
    {
        var total = Countries.Sum(c => c.Weight);
        var pick = random.Next(total);
        foreach (var country in Countries)
        {
            pick -= country.Weight;
            if (pick < 0)
            {
                return country;
            }
        }

        return Countries[^1];
    }
}
