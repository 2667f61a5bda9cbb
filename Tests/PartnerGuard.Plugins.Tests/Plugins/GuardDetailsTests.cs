using Microsoft.Xrm.Sdk;
using PartnerGuard.Plugins.Tests.Builders;
using PartnerGuard.Plugins.Tests.Fakes;
using PartnerGuard.Policy;
using PartnerGuard.Policy.Schema;
using static PartnerGuard.Testing.Builders.OpportunityBuilder;

namespace PartnerGuard.Plugins.Tests.Plugins;

/// <summary>
/// What mutation testing found unchecked (issue #18 item 8): the exact trace and message texts, rows that can no
/// longer be read, the cache's edges (exactly 2 minutes, membership per user, the membership bound) and the
/// plug-in skeleton's refusals when the platform hands it less than it should.
/// </summary>
public sealed class GuardDetailsTests
{
    private const string NoPartnerMessage = "This opportunity needs a partner. Choose one in the Partner field. Direct deals are allowed only for customers covered by a published direct sales rule, and none covers Contoso Ltd. Ask your channel manager if you think this deal is an exception. (PartnerGuard PG-001)";

    // ----- Rows that can no longer be read -----

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Create_CurrencyWithoutAPositiveRate_ValueIsUnknown(int rate)
    {
        var org = new TestOrg().Enforcing();
        org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 0m);
        var odd = org.Currency("XXX", rate);

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(1_000m, odd).Build());

        Assert.Equal(NoPartnerMessage, outcome.Error?.Message);
    }

    [Fact]
    public void Create_AssignedPartnerNoLongerExists_IsNotAttached()
    {
        var org = new TestOrg().Enforcing();
        var gone = org.Partner("Gone Partners");
        var customer = org.Account("Contoso Ltd", assignedPartner: gone);
        // The partner is deleted; the platform then clears the customer's lookup to it, so the plug-in is handed the
        // customer as it was read just before (the emulator, like Dataverse, never stores a dangling lookup).
        org.Org.GetService().Delete("account", gone.Id);

        var outcome = org.Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate, AnOpportunity().For(customer).Build(), null, null);

        Assert.Equal(NoPartnerMessage, outcome.Error?.Message);
    }

    [Fact]
    public void Create_NamedPartnerNoLongerExists_IsBlockedWithPG002()
    {
        var org = new TestOrg().Enforcing();
        var gone = new Entity("account", new Guid("0c0c0c0c-0000-4000-8000-000000000003"));

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Ltd")).WithPartner(gone).Build());

        Assert.StartsWith("The partner chosen on this opportunity no longer exists or can't be read.", outcome.Error?.Message);
        Assert.EndsWith("(PartnerGuard PG-002)", outcome.Error?.Message);
    }

    [Fact]
    public void Create_SettingsUnreadable_MessageForTheAdmin()
    {
        var org = new TestOrg().Enforcing();
        org.Service.FailReadsOn = "environmentvariabledefinition";

        var outcome = org.Create(AnOpportunity().For(org.Account("Contoso Ltd")).Build());

        Assert.Equal(
            "PartnerGuard can't check this opportunity because it is not configured correctly. The PartnerGuard settings could not be read: the service refused the query; the plug-in trace log has the details. Ask your Dynamics 365 administrator to correct it. (PartnerGuard PG-900)",
            outcome.Error?.Message);
    }

    // ----- Trace lines -----

    public static TheoryData<string, string> DecisionTraces => new()
    {
        { "named", "RequirePartnerOnOpportunity: decision outcome=Partner code=- rule=- partner=named:{partner} mode=Enforce" },
        { "attached", "RequirePartnerOnOpportunity: decision outcome=Partner code=- rule=- partner=attached:{partner} mode=Enforce" },
        { "rule", "RequirePartnerOnOpportunity: decision outcome=Direct code=- rule={rule} partner=none mode=Enforce" },
        { "blocked", "RequirePartnerOnOpportunity: decision outcome=Blocked code=PG-001 rule=- partner=none mode=Enforce" },
    };

    [Theory]
    [MemberData(nameof(DecisionTraces))]
    public void Create_TracesTheDecisionWithIdsOnly(string path, string expected)
    {
        var org = new TestOrg().Enforcing();
        var partner = org.Partner("Fabrikam Partners");
        var rule = org.Rule("Mega deals", DirectSalesRuleKind.DealSizeAbove, threshold: 1_000m);
        var deal = path switch
        {
            "named" => AnOpportunity().For(org.Account("Contoso Ltd")).WithPartner(partner),
            "attached" => AnOpportunity().For(org.Account("Contoso Ltd", assignedPartner: partner)),
            "rule" => AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(5_000m),
            _ => AnOpportunity().For(org.Account("Contoso Ltd")).WithValue(5m),
        };

        var outcome = org.Create(deal.Build());

        Assert.Contains(expected.Replace("{partner}", partner.Id.ToString()).Replace("{rule}", rule.Id.ToString()), outcome.Trace);
    }

    [Fact]
    public void Execute_MisregisteredStep_TracesTheRefusal()
    {
        var org = new TestOrg();

        var outcome = org.Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate, AnOpportunity().Build(), null, context => context.Stage = 40);

        Assert.Contains(outcome.Trace, line => line == "RequirePartnerOnOpportunity: refused " + outcome.Error?.Message);
    }

    [Fact]
    public void ValidateRule_TracesValidityAndTheFieldsInError()
    {
        var org = new TestOrg();
        var rule = new Entity("pg_directsalesrule", new Guid("0c0c0c0c-0000-4000-8000-000000000004")) { ["pg_kind"] = new OptionSetValue((int)DirectSalesRuleKind.Geography) };

        var outcome = org.Run(PluginSteps.ValidateRuleOnCreate, rule, null);

        Assert.Contains("ValidateDirectSalesRule: decision valid=False errors=Name,Priority,Countries", outcome.Trace);
    }

    [Fact]
    public void ValidateRule_InactiveRule_TracesTheSkip()
    {
        var org = new TestOrg();
        var rule = new Entity("pg_directsalesrule", new Guid("0c0c0c0c-0000-4000-8000-000000000005")) { ["statecode"] = new OptionSetValue(1) };

        var outcome = org.Run(PluginSteps.ValidateRuleOnCreate, rule, null);

        outcome.AssertSaved();
        Assert.Contains("ValidateDirectSalesRule: decision valid=skipped state=1", outcome.Trace);
    }

    // ----- What the platform hands the plug-in -----

    [Fact]
    public void Execute_NoServiceProvider_IsAnArgumentError()
    {
        Assert.Throws<ArgumentNullException>("serviceProvider", () => new RequirePartnerOnOpportunity().Execute(null!));
    }

    [Fact]
    public void Execute_NoContext_IsRefusedAsMisregistered()
    {
        var exception = Assert.Throws<InvalidPluginExecutionException>(() => new RequirePartnerOnOpportunity().Execute(new EmptyProvider()));

        Assert.Equal(Notices.WrongRegistration("opportunity partner check", "(no context)", "(unknown)", 0, 0), exception.Message);
    }

    [Fact]
    public void Execute_NoMessageOrTable_NamesThemAsNone()
    {
        var org = new TestOrg();

        var outcome = org.Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate, AnOpportunity().Build(), null, context =>
        {
            context.MessageName = null!;
            context.PrimaryEntityName = null!;
        });

        Assert.Equal(Notices.WrongRegistration("opportunity partner check", "(none)", "(none)", 20, 0), outcome.Error?.Message);
    }

    [Fact]
    public void Execute_NoTarget_NamesTheEvent()
    {
        var org = new TestOrg();

        var outcome = org.Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate, AnOpportunity().Build(), null, context => context.InputParameters.Remove("Target"));

        Assert.Equal(Notices.WrongRegistration("opportunity partner check", "Create", "opportunity", 20, 0), outcome.Error?.Message);
    }

    [Fact]
    public void Execute_NoServiceFactory_IsAnUnexpectedFailureWithItsCause()
    {
        var org = new TestOrg();
        var context = new FakePluginContext
        {
            MessageName = "Create",
            PrimaryEntityName = "opportunity",
            Stage = 20,
            OrganizationId = org.OrganizationId,
            CorrelationId = new Guid("0c0c0c0c-0000-4000-8000-000000000006"),
        };
        context.InputParameters["Target"] = AnOpportunity().For(org.Account("Contoso Ltd")).Build();

        var exception = Assert.Throws<InvalidPluginExecutionException>(() => new RequirePartnerOnOpportunity().Execute(new ContextOnlyProvider(context)));

        Assert.EndsWith("(PartnerGuard PG-902)", exception.Message);
        Assert.Equal("The execution provides no IOrganizationServiceFactory.", exception.InnerException?.Message);
    }

    // ----- Cache edges -----

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    public void Create_ExactlyTheCacheDurationApart_ReadsSettingsAgain(int minutes)
    {
        var org = new TestOrg().Enforcing();
        var customer = org.Account("Contoso");
        var partner = org.Partner("Fabrikam");
        org.Create(AnOpportunity().For(customer).WithPartner(partner).Build());

        // The next save runs on a server whose clock is the cache duration ahead of or behind the one that read the
        // settings (OperationCreatedOn is the operation's time); the emulator's clock only moves forward, so the save
        // goes straight to the plug-in with that time.
        var at = org.Now.AddMinutes(minutes);
        var outcome = org.Run(new RequirePartnerOnOpportunity(), PluginSteps.RequirePartnerOnCreate,
            AnOpportunity().For(customer).WithPartner(partner).Build(), null, context => context.OperationCreatedOn = at);

        Assert.Equal(2, outcome.Calls);
    }

    [Fact]
    public void Create_BypassMembership_IsCachedPerUser()
    {
        var org = new TestOrg().Enforcing();
        var member = new Guid("0c0c0c0c-0000-4000-8000-000000000007");
        var other = new Guid("0c0c0c0c-0000-4000-8000-000000000008");
        org.BypassTeam(member);
        var customer = org.Account("Contoso Ltd");

        org.UserId = member;
        var bypassed = org.Create(AnOpportunity().For(customer).Build());
        org.UserId = other;
        var refused = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(ChannelOptionValues.Bypassed, bypassed.Channel);
        Assert.Equal(NoPartnerMessage, refused.Error?.Message);
    }

    [Fact]
    public void Create_MembershipCacheFull_StartsAfresh()
    {
        var org = new TestOrg().Enforcing();
        var first = new Guid("0c0c0c0c-0000-4000-8000-000000000009");
        org.BypassTeam(first);
        var customer = org.Account("Contoso Ltd");
        org.UserId = first;
        org.Create(AnOpportunity().For(customer).Build());

        // 9,999 more users fill the membership cache to its bound of 10,000 entries.
        for (var i = 1; i < 10_000; i++)
        {
            org.UserId = new Guid(i, 0, 0, new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 1 });
            org.Create(AnOpportunity().For(customer).Build());
        }

        org.UserId = first;
        var again = org.Create(AnOpportunity().For(customer).Build());

        Assert.Equal(ChannelOptionValues.Bypassed, again.Channel);
        Assert.Equal(2, again.Calls); // facts + the membership read again after the cache started afresh
    }

    private sealed class EmptyProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed class ContextOnlyProvider(IPluginExecutionContext context) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IPluginExecutionContext) ? context : null;
    }
}
