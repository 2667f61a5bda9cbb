using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Testing;
using static PartnerGuard.FormScript.Tests.FormRun;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// The opportunity form script against the REAL server side: headless chromium, the xrm-mock form, and every
/// pg_CheckChannel call answered by the emulator's Web API host (loopback) running the solution's CheckChannel plug-in
/// on seeded partners, customers and a rule of each kind, in Enforce mode. Each case asserts what the seller reads and
/// then saves the deal as the form holds it (pre-filled partner included) over the same Web API: the save must do what
/// the notification said (issue #14: "a seller never sees a notification that disagrees with what the save then does").
/// </summary>
public sealed class ChannelPreviewThroughTheEmulatorTests : IAsyncLifetime
{
    private const int PartnerChannel = 723100000;
    private const int DirectChannel = 723100001;

    private EmulatedWebApi _api = null!;
    private readonly Dictionary<string, (Guid Id, string Name)> _rows = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _api = await EmulatedWebApi.StartAsync();
        Account("Northwind Traders", new() { ["customertypecode"] = new OptionSetValue(5) });
        Account("Fabrikam Partners", new() { ["customertypecode"] = new OptionSetValue(5) });
        Account("Old Partners", new() { ["customertypecode"] = new OptionSetValue(5) });
        _api.Org.GetService().Execute(new OrganizationRequest("SetState")
        {
            ["EntityMoniker"] = new EntityReference("account", _rows["Old Partners"].Id),
            ["State"] = new OptionSetValue(1),
            ["Status"] = new OptionSetValue(2),
        });

        Account("Contoso Ltd", new() { ["pg_assignedpartnerid"] = new EntityReference("account", _rows["Northwind Traders"].Id), ["numberofemployees"] = 800 });
        Account("Adventure Works", new() { ["numberofemployees"] = 400 });
        Account("Contoso Global", new() { ["revenue"] = new Money(2_300_000_000m), ["numberofemployees"] = 90_000 });
        Account("Tiny Bakery", new() { ["numberofemployees"] = 3 });
        Account("Reykjavik Fish", new() { ["address1_country"] = "Iceland", ["numberofemployees"] = 120 });
        Account("Fabrikam Group", new() { ["numberofemployees"] = 5000 });
        Account("Litware", new() { ["numberofemployees"] = 300 });

        Rule("Enterprise", 723100000, new() { ["pg_measure"] = new OptionSetValue(723100000), ["pg_threshold"] = 1_000_000_000m });
        Rule("Small business", 723100001, new() { ["pg_measure"] = new OptionSetValue(723100001), ["pg_threshold"] = 10m });
        Rule("Iceland", 723100002, new() { ["pg_countries"] = "IS" });
        Rule("House account", 723100003, new() { ["pg_accountid"] = new EntityReference("account", _rows["Fabrikam Group"].Id), ["pg_includesubsidiaries"] = false });
        Rule("Mega deals", 723100004, new() { ["pg_threshold"] = 500_000m });

        var contact = new Entity("contact") { ["lastname"] = "Fabrikam (contact)", ["parentcustomerid"] = new EntityReference("account", _rows["Adventure Works"].Id) };
        _rows["Fabrikam (contact)"] = (_api.Add(contact), "Fabrikam (contact)");
        var euro = new Entity("transactioncurrency") { ["isocurrencycode"] = "EUR", ["currencyname"] = "Euro", ["currencysymbol"] = "€", ["exchangerate"] = 1m };
        _rows["Euro"] = (_api.Add(euro), "Euro");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task AssignedPartner_IsNamedAndPrefilled_AndTheSaveGoesThroughIt()
    {
        var (state, saved) = await PreviewThenSave("Contoso Ltd");

        var request = Assert.Single(state.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("Customer=@p1", ParameterList(request));
        Assert.Contains($"?@p1={{\"@odata.id\":\"accounts({_rows["Contoso Ltd"].Id})\"}}", Uri.UnescapeDataString(request.Url), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(new FormNotification("This deal goes through Northwind Traders (assigned partner).", "INFO", "pg_channelpreview"), Assert.Single(state.Notifications));
        Assert.Equal(new LookupState(_rows["Northwind Traders"].Id.ToString(), "Northwind Traders", "account"), state.Partner);
        AssertSaved(saved, PartnerChannel, partner: "Northwind Traders");
    }

    public static TheoryData<string, string, double?> DirectCases => new()
    {
        { "Contoso Global", "Enterprise", null },
        { "Tiny Bakery", "Small business", null },
        { "Reykjavik Fish", "Iceland", null },
        { "Fabrikam Group", "House account", null },
        { "Litware", "Mega deals", 900_000 },
    };

    [Theory]
    [MemberData(nameof(DirectCases))]
    public async Task DirectByEachRuleKind_ShowsTheRulesReason_AndTheSaveRecordsDirectByThatRule(string customer, string rule, double? value)
    {
        var (state, saved) = await PreviewThenSave(customer, value: value);

        var notice = Assert.Single(state.Notifications);
        Assert.Equal("INFO", notice.Level);
        Assert.StartsWith($"Handled direct by rule '{rule}'", notice.Message, StringComparison.Ordinal);
        Assert.Null(state.Partner);
        AssertSaved(saved, DirectChannel, rule: rule, reason: notice.Message);
    }

    [Fact]
    public async Task NoRule_WarnsToChooseAPartner_AndTheSaveIsRefusedWithPG001()
    {
        var (state, saved) = await PreviewThenSave("Adventure Works");

        Assert.Equal(new FormNotification("Choose a partner: no rule covers this customer.", "WARNING", "pg_channelpreview"), Assert.Single(state.Notifications));
        Assert.Null(state.Partner);
        AssertRefused(saved, "PG-001");
    }

    [Fact]
    public async Task InactivePartnerNamed_WarnsWithTheReasonNamingIt_AndTheSaveIsRefusedWithPG002()
    {
        var (state, saved) = await PreviewThenSave("Adventure Works", partner: "Old Partners");

        var notice = Assert.Single(state.Notifications);
        Assert.Equal("WARNING", notice.Level);
        Assert.Contains("Old Partners", notice.Message);
        Assert.EndsWith("(PartnerGuard PG-002)", notice.Message, StringComparison.Ordinal);
        Assert.Equal(_rows["Old Partners"].Id.ToString(), state.Partner?.Id.Trim('{', '}').ToLowerInvariant());
        AssertRefused(saved, "PG-002", notice.Message);
    }

    [Fact]
    public async Task ChannelConflict_WarnsWithTheReason_AndTheSaveIsRefusedWithPG004()
    {
        var (state, saved) = await PreviewThenSave("Contoso Ltd", partner: "Fabrikam Partners");

        var notice = Assert.Single(state.Notifications);
        Assert.Equal("WARNING", notice.Level);
        Assert.EndsWith("(PartnerGuard PG-004)", notice.Message, StringComparison.Ordinal);
        AssertRefused(saved, "PG-004", notice.Message);
    }

    [Fact]
    public async Task Script_DefinesOnlyItsNamespace_AndNeverHooksTheSave()
    {
        var (state, saved) = await PreviewThenSave("Adventure Works");

        Assert.Equal(["PartnerGuard"], state.NewGlobals);
        Assert.Equal(0, state.OnSaveHandlers);
        AssertRefused(saved, "PG-001");
    }

    [Fact]
    public async Task PartnerAlreadyOnTheForm_IsSentAndNamed_AndLeftAsItIs()
    {
        var (state, saved) = await PreviewThenSave("Contoso Ltd", partner: "Northwind Traders", value: 12_500.5, partnerAsTyped: "Northwind (as typed)");

        Assert.Equal("Customer=@p1,Partner=@p2,EstimatedValue=@p3", ParameterList(Assert.Single(state.Requests)));
        Assert.Equal(new FormNotification("This deal goes through Northwind Traders.", "INFO", "pg_channelpreview"), Assert.Single(state.Notifications));
        Assert.Equal("Northwind (as typed)", state.Partner?.Name);
        AssertSaved(saved, PartnerChannel, partner: "Northwind Traders");
    }

    [Fact]
    public async Task SellerChoosesContact_NamesThenClearsPartner_ChangesCurrencyAndValue_EachChangeAsksAgainWithWhatIsOnTheForm()
    {
        using var server = new HarnessServer(_api.ForwardAsync);

        var state = await RunAsync(
            server,
            new JsonObject(),
            Load(),
            Set("customerid", Lookup(_rows["Fabrikam (contact)"].Id, "Fabrikam (contact)", "contact")),
            Set("pg_partnerid", Lookup(_rows["Northwind Traders"].Id, "Northwind Traders", "account")),
            Set("pg_partnerid", null),
            Set("transactioncurrencyid", Lookup(_rows["Euro"].Id, "Euro", "transactioncurrency")),
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
            state.Requests.Select(ParameterList));
        Assert.All(state.Requests, r => Assert.Contains($"@p1={{\"@odata.id\":\"contacts({_rows["Fabrikam (contact)"].Id})\"}}", Uri.UnescapeDataString(r.Url), StringComparison.OrdinalIgnoreCase));
        Assert.All(state.Requests, r => Assert.Equal(200, r.Status));

        // One notification, the last answer's: the contact's account has no rule, but 2,500,000 EUR (rate 1) is a mega deal.
        var notice = Assert.Single(state.Notifications);
        Assert.Equal("INFO", notice.Level);
        Assert.StartsWith("Handled direct by rule 'Mega deals'", notice.Message, StringComparison.Ordinal);
        Assert.Null(state.Partner);
    }

    [Fact]
    public async Task CustomerCleared_RemovesTheNotice_WithoutAskingTheApiAgain()
    {
        using var server = new HarnessServer(_api.ForwardAsync);

        var state = await RunAsync(
            server,
            new JsonObject { ["customerid"] = Lookup(_rows["Adventure Works"].Id, "Adventure Works", "account") },
            Load(),
            Set("customerid", null));

        Assert.Single(state.Requests);
        Assert.Empty(state.Notifications);
    }

    /// <summary>Set to a .png path to also write the README's screenshot of the seller's view (no test reads it).</summary>
    public const string ReadmeScreenshotVariable = "PARTNERGUARD_README_SCREENSHOT";

    [Fact]
    public async Task SellerView_ShowsTheNoticeAboveTheFields_WithTheAssignedPartnerPrefilled()
    {
        using var server = new HarnessServer(_api.ForwardAsync);
        var page = SellerViewPage(
            server,
            new JsonObject { ["customerid"] = Lookup(_rows["Contoso Ltd"].Id, "Contoso Ltd", "account"), ["estimatedvalue"] = 85_000 },
            Load());
        using var scratch = new TempDirectory();

        var dom = await Chromium.DumpDomAsync(page, scratch.Path, untilNetworkIdle: true);

        Assert.Contains("""<body class="seller">""", dom, StringComparison.Ordinal);
        Assert.Contains("""<div class="notification info" data-level="INFO"><span class="icon">i</span><span class="message">This deal goes through Northwind Traders (assigned partner).</span></div>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<dd class="lookup" data-field="customer">Contoso Ltd</dd>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<dd class="lookup" data-field="partner">Northwind Traders</dd>""", dom, StringComparison.Ordinal);
        Assert.Contains("""<dd class="number" data-field="value">85,000</dd>""", dom, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable(ReadmeScreenshotVariable) is { Length: > 0 } png)
        {
            await Chromium.ScreenshotAsync(page, scratch.Path, png, width: 800, height: 250);
        }
    }

    private static string ParameterList(SentRequest request)
    {
        var start = request.Url.IndexOf("pg_CheckChannel(", StringComparison.Ordinal) + "pg_CheckChannel(".Length;
        return request.Url[start..request.Url.IndexOf(')', start)];
    }

    /// <summary>Loads the form on a deal for <paramref name="customer"/> in chromium, then saves what the form then holds over the Web API.</summary>
    private async Task<(FormState State, HttpResponseMessage Saved)> PreviewThenSave(string customer, string? partner = null, double? value = null, string? partnerAsTyped = null)
    {
        using var server = new HarnessServer(_api.ForwardAsync);
        var form = new JsonObject { ["customerid"] = Lookup(_rows[customer].Id, customer, "account") };
        if (partner is not null)
        {
            form["pg_partnerid"] = Lookup(_rows[partner].Id, partnerAsTyped ?? partner, "account");
        }

        if (value is not null)
        {
            form["estimatedvalue"] = value;
        }

        var state = await RunAsync(server, form, Load());
        Assert.All(state.Requests, r => Assert.Equal(200, r.Status));

        var body = new JsonObject { ["name"] = "Deal for " + customer, ["customerid_account@odata.bind"] = $"/accounts({_rows[customer].Id})" };
        if (state.Partner is { } onForm)
        {
            body["pg_PartnerId@odata.bind"] = $"/accounts({onForm.Id.Trim('{', '}')})";
        }

        if (value is not null)
        {
            body["estimatedvalue"] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "opportunities") { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        return (state, await _api.Http.SendAsync(request));
    }

    private void AssertSaved(HttpResponseMessage saved, int channel, string? partner = null, string? rule = null, string? reason = null)
    {
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        var id = Guid.Parse(saved.Headers.GetValues("OData-EntityId").Single().Split('(', ')')[1]);
        var deal = _api.Org.GetService().Retrieve("opportunity", id, new Microsoft.Xrm.Sdk.Query.ColumnSet("pg_channel", "pg_partnerid", "pg_directsalesruleid", "pg_channelreason"));
        Assert.Equal(channel, deal.GetAttributeValue<OptionSetValue>("pg_channel")?.Value);
        Assert.Equal(partner is null ? null : _rows[partner].Id, deal.GetAttributeValue<EntityReference>("pg_partnerid")?.Id);
        Assert.Equal(rule is null ? null : _rows[rule].Id, deal.GetAttributeValue<EntityReference>("pg_directsalesruleid")?.Id);
        if (reason is not null)
        {
            Assert.Equal(reason, deal.GetAttributeValue<string>("pg_channelreason"));
        }
    }

    private static void AssertRefused(HttpResponseMessage saved, string code, string? message = null)
    {
        Assert.Equal(HttpStatusCode.BadRequest, saved.StatusCode);
        var error = JsonDocument.Parse(saved.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("error").GetProperty("message").GetString();
        Assert.EndsWith($"(PartnerGuard {code})", error, StringComparison.Ordinal);
        if (message is not null)
        {
            Assert.Equal(message, error);
        }
    }

    private void Account(string name, Dictionary<string, object> columns)
    {
        var row = new Entity("account") { ["name"] = name };
        foreach (var (column, value) in columns)
        {
            row[column] = value;
        }

        _rows[name] = (_api.Add(row), name);
    }

    private void Rule(string name, int kind, Dictionary<string, object> columns)
    {
        var row = new Entity("pg_directsalesrule") { ["pg_name"] = name, ["pg_kind"] = new OptionSetValue(kind), ["pg_priority"] = 10 };
        foreach (var (column, value) in columns)
        {
            row[column] = value;
        }

        _rows[name] = (_api.Add(row), name);
    }
}
