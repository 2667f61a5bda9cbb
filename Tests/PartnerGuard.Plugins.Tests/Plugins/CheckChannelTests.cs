using Microsoft.Xrm.Sdk;
using PartnerGuard.Plugins.Tests.Builders;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Testing.Builders.OpportunityBuilder;

namespace PartnerGuard.Plugins.Tests.Plugins;

/// <summary>
/// The <c>pg_CheckChannel</c> Custom API answers what the guard then does (issue #14, "done means"): every case of
/// the guard's decision table runs through both plug-ins on the same facts (two organizations built alike, so
/// neither warms the other's cache), and the outcome, code, reason and partner must agree, at no more calls.
/// </summary>
public sealed class CheckChannelTests
{
    /// <summary>The guard's cases: each builds its facts into an organization and returns the deal (a Create target).</summary>
    public static TheoryData<string> Cases => new()
    {
        "partner named", "assigned partner attached", "auto-attach off", "revenue rule", "employees rule", "customer below size rule",
        "geography rule", "named account rule with subsidiaries", "contact customer", "contact without account",
        "no partner, no rule", "inactive partner", "customer as partner", "conflict", "conflict allowed", "audit mode",
        "bypass team member", "rule and partner named", "deal size, base currency", "deal size, converted", "deal size, below once converted",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CheckChannel_AnswersWhatTheGuardDoes(string scenario)
    {
        var guardOrg = new TestOrg();
        var guardDeal = Build(guardOrg, scenario);
        var apiOrg = new TestOrg(guardOrg.UserId);
        var apiDeal = Build(apiOrg, scenario);

        var saved = guardOrg.Create(guardDeal.Target);
        var answer = apiOrg.Ask(apiDeal.Target);

        Assert.Null(answer.Error);
        var output = answer.Response!.Results;
        if (saved.Error is not null)
        {
            Assert.Equal("Blocked", output["Outcome"]);
            Assert.EndsWith("(PartnerGuard " + output["Code"] + ")", saved.Error.Message);
            Assert.Equal(saved.Error.Message, output["Reason"]);
        }
        else
        {
            Assert.Equal(saved.Channel, OptionOf((string)output["Outcome"]!));
            Assert.Equal(saved.Reason, Notices.Fit((string)output["Reason"]!));
            Assert.Equal(IdIn(saved.Rule, guardDeal), IdIn((EntityReference?)output["DirectSalesRule"], apiDeal));
            if (saved.Channel == ChannelOptionValues.Partner)
            {
                Assert.Equal(IdIn(saved.Partner, guardDeal), IdIn((EntityReference?)output["Partner"], apiDeal));
                Assert.False(string.IsNullOrEmpty((string?)output["PartnerName"]));
            }
        }

        Assert.True(answer.Calls <= saved.Calls, $"pg_CheckChannel made {answer.Calls} calls, the guard {saved.Calls}.");
        Assert.DoesNotContain(apiOrg.Service.Calls, entry => !entry.StartsWith("Retrieve", StringComparison.Ordinal));
    }

    [Fact]
    public void CheckChannel_RegisteredAsAnythingElse_IsRefusedAsMisregistered()
    {
        var org = new TestOrg();
        var customer = org.Account("Contoso Ltd");

        var answer = org.RunRegisteredAs(new CheckChannel(), "Create", "opportunity", 20, 0, AnOpportunity().For(customer).Build());

        Assert.Contains("(PartnerGuard PG-901)", answer.Error?.Message);
    }

    [Fact]
    public void CheckChannel_WarmCache_CostsOneCallLikeTheGuard()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso Ltd", assignedPartner: org.Partner("Northwind Traders"));

        org.Ask(AnOpportunity().For(customer).Build());
        var warm = org.Ask(AnOpportunity().For(customer).Build());

        Assert.Equal(1, warm.Calls);
        Assert.Equal("Northwind Traders", warm.Response!.Results["PartnerName"]);
        Assert.Equal("", warm.Response.Results["Code"]);
    }

    [Fact]
    public void CheckChannel_NoPartnerAndNoRule_AnswersBlockedWithoutAPartner()
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso Ltd");

        var output = org.Ask(AnOpportunity().For(customer).Build()).Response!.Results;

        Assert.Equal("Blocked", output["Outcome"]);
        Assert.Null(output["Partner"]);
        Assert.Equal("", output["PartnerName"]);
    }

    [Fact]
    public void CheckChannel_PartnerNamedOnTheDeal_AnswersThatPartnerByName()
    {
        var org = new TestOrg().Enforcing();
        var named = org.Partner("Fabrikam Partners");
        var customer = org.Account("Contoso Ltd");

        var output = org.Ask(AnOpportunity().For(customer).WithPartner(named).Build()).Response!.Results;

        Assert.Equal(named.Id, ((EntityReference)output["Partner"]!).Id);
        Assert.Equal("Fabrikam Partners", output["PartnerName"]);
    }

    /// <summary>A customer the caller cannot read (or that was deleted): the reason still names it by the lookup's name.</summary>
    [Fact]
    public void CheckChannel_CustomerThatCannotBeRead_IsNamedByTheLookup()
    {
        var org = new TestOrg().Enforcing();
        var deal = AnOpportunity().Build();
        deal["customerid"] = new EntityReference("account", Guid.Parse("0be90e00-0000-4000-8000-000000000001")) { Name = "Gone Ltd" };

        var output = org.Ask(deal).Response!.Results;

        Assert.Equal("Blocked", output["Outcome"]);
        Assert.Contains("none covers Gone Ltd.", (string)output["Reason"]!, StringComparison.Ordinal);
    }

    private static int OptionOf(string outcome) => outcome switch
    {
        "Partner" => ChannelOptionValues.Partner,
        "Direct" => ChannelOptionValues.Direct,
        "Unresolved" => ChannelOptionValues.Unresolved,
        "Bypassed" => ChannelOptionValues.Bypassed,
        _ => -1,
    };

    /// <summary>A reference as the name the scenario gave its row, so references in two organizations compare.</summary>
    private static string? IdIn(EntityReference? reference, Scenario scenario) =>
        reference is null ? null : scenario.Names.TryGetValue(reference.Id, out var name) ? name : "unknown " + reference.LogicalName;

    private sealed record Scenario(Entity Target, Dictionary<Guid, string> Names);

    private static Scenario Build(TestOrg org, string scenario)
    {
        var names = new Dictionary<Guid, string>();
        Entity Named(Entity row, string name)
        {
            names[row.Id] = name;
            return row;
        }

        if (scenario != "audit mode")
        {
            org.Enforcing();
        }

        var assigned = Named(org.Partner("Northwind Traders"), "assigned");
        Entity deal;
        switch (scenario)
        {
            case "partner named":
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).WithPartner(Named(org.Partner("Fabrikam Partners"), "named")).Build();
                break;
            case "assigned partner attached":
                deal = AnOpportunity().For(org.Account("Contoso Ltd", assignedPartner: assigned)).Build();
                break;
            case "auto-attach off":
                org.WithSetting(SettingNames.AutoAttachAssignedPartner, "no");
                deal = AnOpportunity().For(org.Account("Contoso Ltd", assignedPartner: assigned)).Build();
                break;
            case "revenue rule":
                Named(org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m), "rule");
                deal = AnOpportunity().For(org.Account("Contoso Ltd", revenue: 2_300_000_000m)).Build();
                break;
            case "employees rule":
                Named(org.Rule("Large", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.Employees, threshold: 5000m), "rule");
                deal = AnOpportunity().For(org.Account("Contoso Ltd", employees: 12_000)).Build();
                break;
            case "customer below size rule":
                Named(org.Rule("Small", DirectSalesRuleKind.CustomerSizeBelow, measure: SizeMeasure.Employees, threshold: 50m), "rule");
                deal = AnOpportunity().For(org.Account("Tiny Ltd", employees: 8)).Build();
                break;
            case "geography rule":
                Named(org.Rule("Iceland", DirectSalesRuleKind.Geography, countries: "IS"), "rule");
                deal = AnOpportunity().For(org.Account("Reykjavik Fish", country: "Iceland")).Build();
                break;
            case "named account rule with subsidiaries":
                var group = org.Account("Contoso Group");
                var rule = Named(org.Rule("House", DirectSalesRuleKind.NamedAccount, account: group), "rule");
                rule["pg_includesubsidiaries"] = true;
                deal = AnOpportunity().For(org.Account("Contoso Germany", parent: org.Account("Contoso Europe", parent: group))).Build();
                break;
            case "contact customer":
                deal = AnOpportunity().For(org.Contact(org.Account("Contoso Ltd", assignedPartner: assigned))).Build();
                break;
            case "contact without account":
                deal = AnOpportunity().For(org.Contact(null)).Build();
                break;
            case "no partner, no rule":
            case "audit mode":
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).Build();
                break;
            case "inactive partner":
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).WithPartner(org.Partner("Old Partners", active: false)).Build();
                break;
            case "customer as partner":
                var customer = org.Account("Contoso Ltd", relationshipType: 5);
                deal = AnOpportunity().For(customer).WithPartner(customer).Build();
                break;
            case "conflict":
            case "conflict allowed":
                if (scenario == "conflict allowed")
                {
                    org.WithSetting(SettingNames.ConflictPolicy, "Allow");
                }

                deal = AnOpportunity().For(org.Account("Contoso Ltd", assignedPartner: assigned)).WithPartner(Named(org.Partner("Other Partners"), "named")).Build();
                break;
            case "bypass team member":
                org.BypassTeam(org.UserId);
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).Build();
                break;
            case "rule and partner named":
                Named(org.Rule("Enterprise", DirectSalesRuleKind.CustomerSizeAbove, measure: SizeMeasure.AnnualRevenue, threshold: 1_000_000_000m), "rule");
                deal = AnOpportunity().For(org.Account("Contoso Ltd", revenue: 2_300_000_000m)).WithPartner(Named(org.Partner("Fabrikam Partners"), "named")).Build();
                break;
            case "deal size, base currency":
                Named(org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 500_000m), "rule");
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(600_000m).Build();
                break;
            case "deal size, converted":
            case "deal size, below once converted":
                Named(org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 500_000m), "rule");
                var yen = org.Currency("JPY", 150m);
                deal = AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(scenario == "deal size, converted" ? 90_000_000m : 60_000_000m, yen).Build();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such case");
        }

        return new Scenario(deal, names);
    }
}
