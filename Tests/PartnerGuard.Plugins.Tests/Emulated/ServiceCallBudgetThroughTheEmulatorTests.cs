using Microsoft.Xrm.Sdk;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Plugins.Tests.Emulated.EmulatedOrg;

namespace PartnerGuard.Plugins.Tests.Emulated;

/// <summary>
/// DESIGN §7 and issue #16 item 3: the service calls the opportunity guard makes on a seller's Create, for every
/// path, cold (a new organization: nothing cached) and warm (the same save again), counted by
/// <see cref="CountingRequirePartner"/> around the real plug-in in the emulator. The figures are the table in
/// Plugins/README.md; the target is 1 call warm and at most 3 cold, and the paths that miss it say why there.
/// </summary>
public sealed class ServiceCallBudgetThroughTheEmulatorTests
{
    private const string Facts = "RetrieveMultiple account";
    private const string Settings = "RetrieveMultiple environmentvariabledefinition";
    private const string Rules = "RetrieveMultiple pg_directsalesrule";
    private const string Rate = "Retrieve transactioncurrency";
    private const string Contact = "Retrieve contact";
    private const string Membership = "RetrieveMultiple teammembership";

    /// <summary>Path name, the channel the save records, the calls cold, the calls warm.</summary>
    public static TheoryData<string, int, string, string> Paths => new()
    {
        { "partner named", ChannelOptionValues.Partner, Join(Facts, Settings), Join(Facts) },
        { "auto-attach", ChannelOptionValues.Partner, Join(Facts, Settings), Join(Facts) },
        { "rule: customer size above", ChannelOptionValues.Direct, Join(Facts, Settings, Rules), Join(Facts) },
        { "rule: customer size below", ChannelOptionValues.Direct, Join(Facts, Settings, Rules), Join(Facts) },
        { "rule: geography", ChannelOptionValues.Direct, Join(Facts, Settings, Rules), Join(Facts) },
        { "rule: named account", ChannelOptionValues.Direct, Join(Facts, Settings, Rules), Join(Facts) },
        { "rule: deal size, base currency", ChannelOptionValues.Direct, Join(Facts, Settings, Rules), Join(Facts) },
        { "rule: deal size, other currency", ChannelOptionValues.Direct, Join(Facts, Settings, Rules, Rate), Join(Facts) },
        { "contact customer", ChannelOptionValues.Partner, Join(Contact, Facts, Settings), Join(Contact, Facts) },
        { "bypass team", ChannelOptionValues.Bypassed, Join(Facts, Settings, Rules, Membership), Join(Facts) },
        { "no customer, no partner", ChannelOptionValues.Unresolved, Join(Settings, Rules), Join() },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Create_CostsTheDocumentedCallsColdAndWarm(string path, int channel, string cold, string warm)
    {
        var (org, deal) = Arrange(path);

        Guid saved = Guid.Empty;
        var coldCalls = org.CallsDuring(() => saved = org.Seller.Create(deal()));
        var warmCalls = org.CallsDuring(() => org.Seller.Create(deal()));

        Assert.Equal(channel, org.Stored(saved).GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
        Assert.Equal(cold, string.Join(", ", coldCalls));
        Assert.Equal(warm, string.Join(", ", warmCalls));
    }

    [Fact]
    public void Update_OfTheValue_WarmCostsOneCall()
    {
        var (org, deal) = Arrange("rule: deal size, other currency");
        var id = org.Seller.Create(deal());

        var calls = org.CallsDuring(() => org.Seller.Update(new Entity(OpportunityColumns.Table, id) { [OpportunityColumns.EstimatedValue] = new Money(1m) }));

        Assert.Equal(Join(Facts), string.Join(", ", calls));
        Assert.Equal(ChannelOptionValues.Unresolved, org.Stored(id).GetAttributeValue<OptionSetValue>(OpportunityColumns.Channel).Value);
    }

    private static string Join(params string[] calls) => string.Join(", ", calls);

    private static (EmulatedOrg Org, Func<Entity> Deal) Arrange(string path)
    {
        var org = path is "bypass team" ? Enforcing() : Auditing();
        switch (path)
        {
            case "partner named":
            {
                var customer = org.Account("Contoso Ltd");
                var partner = org.Partner("Northwind Partners");
                return (org, () => Deal(customer, partner: partner));
            }

            case "auto-attach":
            {
                var customer = org.Account("Contoso Ltd", assignedPartner: org.Partner("Northwind Partners"));
                return (org, () => Deal(customer));
            }

            case "rule: customer size above":
            {
                org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, threshold: 1_000_000m, measure: SizeMeasure.AnnualRevenue);
                var customer = org.Account("Contoso Ltd", revenue: 2_000_000m);
                return (org, () => Deal(customer));
            }

            case "rule: customer size below":
            {
                org.Rule("Small business", DirectSalesRuleKind.CustomerSizeBelow, threshold: 1_000_000m, measure: SizeMeasure.AnnualRevenue);
                var customer = org.Account("Corner Shop", revenue: 20_000m);
                return (org, () => Deal(customer));
            }

            case "rule: geography":
            {
                org.Rule("Germany", DirectSalesRuleKind.Geography, countries: "DE");
                var customer = org.Account("Contoso GmbH", country: "Germany");
                return (org, () => Deal(customer));
            }

            case "rule: named account":
            {
                var customer = org.Account("Contoso Group");
                org.Rule("House account", DirectSalesRuleKind.NamedAccount, account: customer);
                return (org, () => Deal(customer));
            }

            case "rule: deal size, base currency":
            {
                org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
                var customer = org.Account("Contoso Ltd");
                return (org, () => Deal(customer, value: 2_000_000m));
            }

            case "rule: deal size, other currency":
            {
                org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000_000m);
                var yen = org.Currency("JPY", 150m);
                var customer = org.Account("Contoso Ltd");
                return (org, () => Deal(customer, value: 300_000_000m, currency: yen));
            }

            case "contact customer":
            {
                var contact = org.Contact(org.Account("Contoso Ltd", assignedPartner: org.Partner("Northwind Partners")));
                return (org, () => Deal(contact, customerTable: ContactColumns.Table));
            }

            case "bypass team":
            {
                var team = org.Org.CreateTeam("Channel exceptions", org.SellerId);
                org.Org.SetEnvironmentVariable(SettingNames.BypassTeamId, team.ToString());
                var customer = org.Account("Contoso Ltd");
                return (org, () => Deal(customer));
            }

            case "no customer, no partner":
                return (org, () => Deal(null));

            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "No such path.");
        }
    }
}
