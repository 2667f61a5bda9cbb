using System.Text.Json.Nodes;
using static PartnerGuard.FormScript.Tests.FormRun;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// The opportunity form script (pg_/scripts/opportunity.js) in headless chromium on an xrm-mock form, calling
/// pg_CheckChannel over HTTP.
///
/// PLUMBING ONLY, against <see cref="StandInCheckChannel"/>: every test here checks what the script does with an
/// answer (the request it sends, the one notification, the pre-fill, stale answers, errors), not whether the
/// answer is right. When the server side of issue #14 lands, the Web API moves to `partnerguard emulator serve`
/// with the real plug-in, and these cases are added against it with the guard's own facts: assigned partner
/// (pre-filled), direct by each rule kind (size above, size below, geography, named account, deal size), no rule,
/// inactive partner named, channel conflict — each asserting the notification a seller reads and that the save
/// then does what the notification said.
/// </summary>
public sealed class OpportunityFormScriptTests
{
    private const string NotificationId = "pg_channelpreview";

    private static readonly Guid Contoso = Guid.Parse("2f6b0d8e-4a51-4c7e-9f0a-1d3c5b7e9a01");
    private static readonly Guid Fabrikam = Guid.Parse("7c1e9a55-3b2d-4f60-8e47-5a9b0c1d2e03");
    private static readonly Guid Northwind = Guid.Parse("a3d47f10-6e2b-4c89-b5f1-0e9d8c7b6a05");
    private static readonly Guid Euro = Guid.Parse("c0ffee00-1234-4abc-9def-0123456789ab");

    [Fact]
    public async Task OnLoad_CustomerWithAssignedPartner_CallsTheFunctionShowsOneNoticeAndPrefillsThePartner()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision(
            "Partner", "", "Attached automatically: Northwind Traders is the assigned partner of Contoso Ltd.", (Northwind, "Northwind Traders")));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(server, new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") }, Load());

        var call = Assert.Single(api.Calls);
        Assert.Equal("Customer=@p1", call.ParameterList);
        Assert.Equal(new EntityRef("accounts", Contoso), call.Customer);
        var request = Assert.Single(state.Requests);
        Assert.Equal("GET", request.Method);
        Assert.StartsWith(server.WebApiBase.AbsoluteUri + "pg_CheckChannel(Customer=@p1)?@p1=", request.Url, StringComparison.Ordinal);

        Assert.Equal(
            new FormNotification("This deal goes through Northwind Traders (assigned partner).", "INFO", NotificationId),
            Assert.Single(state.Notifications));
        Assert.Equal(new LookupState(Northwind.ToString(), "Northwind Traders", "account"), state.Partner);
    }

    [Fact]
    public async Task Script_DefinesOnlyItsNamespace_AndNeverHooksTheSave()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(server, new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") }, Load());

        Assert.Equal(["PartnerGuard"], state.NewGlobals);
        Assert.Equal(0, state.OnSaveHandlers);
    }

    [Fact]
    public async Task SellerChoosesCustomer_NamesThenClearsPartner_ChangesValue_EachChangeAsksAgainWithWhatIsOnTheForm()
    {
        var api = new StandInCheckChannel(call => call switch
        {
            { Partner: not null } => StandInCheckChannel.Decision("Partner", "", "Northwind Traders is named on the deal.", (Northwind, "Northwind Traders")),
            { EstimatedValue: >= 1_000_000m } => StandInCheckChannel.Decision(
                "Direct", "", "Handled direct by rule 'Large deals' (estimated value 2,500,000 ≥ 1,000,000).", directSalesRule: Guid.NewGuid()),
            _ => StandInCheckChannel.Decision("Blocked", "PG-001", "This opportunity needs a partner. (PartnerGuard PG-001)"),
        });
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject(),
            Load(),
            Set("customerid", Lookup(Fabrikam, "Fabrikam (contact)", "contact")),
            Set("pg_partnerid", Lookup(Northwind, "Northwind Traders", "account")),
            Set("pg_partnerid", null),
            Set("transactioncurrencyid", Lookup(Euro, "Euro", "transactioncurrency")),
            Set("estimatedvalue", 2_500_000));

        // No customer on load: no call. Then one call per change, each with the form's values at that moment.
        Assert.Equal(
            [
                "Customer=@p1",
                "Customer=@p1,Partner=@p2",
                "Customer=@p1",
                "Customer=@p1,TransactionCurrency=@p2",
                "Customer=@p1,EstimatedValue=@p2,TransactionCurrency=@p3",
            ],
            api.Calls.Select(c => c.ParameterList));
        Assert.All(api.Calls, c => Assert.Equal(new EntityRef("contacts", Fabrikam), c.Customer));
        Assert.Equal(new EntityRef("accounts", Northwind), api.Calls.ElementAt(1).Partner);
        var last = api.Calls.Last();
        Assert.Equal((2_500_000m, new EntityRef("transactioncurrencies", Euro)), (last.EstimatedValue, last.TransactionCurrency));

        // One notification, the last answer's; a direct deal gets no partner filled in.
        Assert.Equal(
            new FormNotification("Handled direct by rule 'Large deals' (estimated value 2,500,000 ≥ 1,000,000).", "INFO", NotificationId),
            Assert.Single(state.Notifications));
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task PartnerAlreadyOnTheForm_IsSentAndNamed_AndLeftAsItIs()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision(
            "Partner", "", "Northwind Traders is named on the deal.", (Northwind, "Northwind Traders")));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject
            {
                ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account"),
                ["pg_partnerid"] = Lookup(Northwind, "Northwind (as typed)", "account"),
                ["estimatedvalue"] = 12_500.5,
            },
            Load());

        var call = Assert.Single(api.Calls);
        Assert.Equal((new EntityRef("accounts", Northwind), 12_500.5m), (call.Partner, call.EstimatedValue));
        Assert.Equal(new FormNotification("This deal goes through Northwind Traders.", "INFO", NotificationId), Assert.Single(state.Notifications));
        Assert.Equal("Northwind (as typed)", state.Partner?.Name);
    }

    [Fact]
    public async Task NoPartnerAndNoRule_WarnsTheSellerToChooseAPartner_AndFillsNothing()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision(
            "Unresolved", "PG-001", "This opportunity needs a partner. Choose one in the Partner field. (PartnerGuard PG-001)"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(server, new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") }, Load());

        Assert.Equal(
            new FormNotification("Choose a partner: no rule covers this customer.", "WARNING", NotificationId),
            Assert.Single(state.Notifications));
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task PartnerNamedButRefused_ShowsTheServersReasonAsAWarning_AndKeepsTheSellersPartner()
    {
        const string reason = "Northwind Traders is not an active partner. Choose an active partner in the Partner field. (PartnerGuard PG-002)";
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision("Blocked", "PG-002", reason));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject
            {
                ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account"),
                ["pg_partnerid"] = Lookup(Northwind, "Northwind Traders", "account"),
            },
            Load());

        Assert.Equal(new FormNotification(reason, "WARNING", NotificationId), Assert.Single(state.Notifications));
        Assert.Equal("Northwind Traders", state.Partner?.Name);
    }

    [Fact]
    public async Task AnEarlierAnswerArrivingLast_DoesNotOverwriteTheNewerNotice_NorFillThePartner()
    {
        // Contoso's answer is held back until Fabrikam's (asked later) has been answered.
        var api = new StandInCheckChannel(call => call.Customer.Id == Contoso
            ? StandInCheckChannel.Decision("Partner", "", "assigned", (Northwind, "Northwind Traders")) with { HoldUntilAnswered = Fabrikam }
            : StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject(),
            Load(),
            Set("customerid", Lookup(Contoso, "Contoso Ltd", "account"), overtakenByNext: true),
            Set("customerid", Lookup(Fabrikam, "Fabrikam Inc", "account")));

        Assert.Equal(new[] { Contoso, Fabrikam }.Order(), api.Calls.Select(c => c.Customer.Id).Order());
        Assert.Equal(
            new FormNotification("Choose a partner: no rule covers this customer.", "WARNING", NotificationId),
            Assert.Single(state.Notifications));
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task TheApiFails_TheSellerSeesANeutralLineWithoutTheError()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Failure(500, "System.NullReferenceException: Object reference not set\n   at PartnerGuard.X()"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(server, new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") }, Load());

        var notice = Assert.Single(state.Notifications);
        Assert.Equal(
            new FormNotification("The channel preview is not available right now. Saving still applies PartnerGuard's rules.", "INFO", NotificationId),
            notice);
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task TheWebApiThrowsAtOnce_TheSellerSeesTheNeutralLine_NotAScriptError()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account"), ["webApiUnavailable"] = true },
            Load());

        Assert.Empty(api.Calls);
        Assert.Equal(
            new FormNotification("The channel preview is not available right now. Saving still applies PartnerGuard's rules.", "INFO", NotificationId),
            Assert.Single(state.Notifications));
    }

    [Fact]
    public async Task CustomerCleared_RemovesTheNotice_WithoutAskingTheApi()
    {
        var api = new StandInCheckChannel(_ => StandInCheckChannel.Decision("Blocked", "PG-001", "needs a partner"));
        using var server = new HarnessServer(api.HandleAsync);

        var state = await RunAsync(
            server,
            new JsonObject { ["customerid"] = Lookup(Contoso, "Contoso Ltd", "account") },
            Load(),
            Set("customerid", null));

        Assert.Single(api.Calls);
        Assert.Empty(state.Notifications);
    }
}
