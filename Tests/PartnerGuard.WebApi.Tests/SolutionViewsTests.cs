using PartnerGuard.Testing;
using System.Net;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// Guards for the solution's views (issue #13): loaded from solution/src as savedquery rows, served by the Web API, and
/// each view's FetchXML, run on a small seeded org, returns exactly the rows its name promises. A view added to the
/// solution without an expectation here fails <see cref="EveryView_RunAsFetchXml_ReturnsExactlyTheRowsItsNamePromises"/>.
/// </summary>
public sealed class SolutionViewsTests : IDisposable
{
    private const int Partner = 723100000;
    private const int Direct = 723100001;
    private const int Unresolved = 723100002;
    private const int Bypassed = 723100003;

    private readonly DataverseOrg _org;
    private readonly HttpClient _http;

    public SolutionViewsTests()
    {
        _org = DataverseOrg.Create();
        _org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);
        Seed();
        _http = new HttpClient(DataverseWebApi.CreateHandler(new DataverseWebApiServer(_org))) { BaseAddress = DataverseWebApi.DefaultBaseAddress };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Each view by name, with the names of the rows it must return on <see cref="Seed"/>'s data (in order where the view's sort decides it).</summary>
    private static readonly Dictionary<string, (string[] Rows, bool Ordered)> Expected = new(StringComparer.Ordinal)
    {
        // Opportunity: decisions recorded by the channel plug-in (seeded directly here), one deal per case.
        ["Open deals without a partner"] = (["Direct open", "Unresolved", "Bypassed", "Undecided"], false),
        ["Deals by channel"] = (["Partner ok", "Conflict", "Partner, customer unassigned", "Direct open", "Direct won", "Unresolved", "Bypassed", "Conflict unresolved"], false),
        ["Deals handled direct, by rule"] = (["Direct open", "Direct won"], false),
        ["Unresolved deals (audit mode)"] = (["Unresolved", "Conflict unresolved"], false),
        ["Bypassed deals"] = (["Bypassed"], true),
        ["Deals in channel conflict"] = (["Conflict", "Conflict unresolved"], true),

        // Account: partners are relationship type 5 or 9; only active accounts.
        ["Customers without a partner (eligible)"] = (["Beta Customer", "Gamma Customer"], true),
        ["Customers by assigned partner"] = (["Alpha Customer", "Epsilon Customer"], false),
        ["Active partners"] = (["Fabrikam Reseller", "Northwind Partner", "Open Partner"], true),
        ["Partners by load"] = (["Fabrikam Reseller", "Northwind Partner", "Open Partner"], true),

        // The direct sales rule and reassignment run tables' own views.
        ["Active Direct Sales Rules"] = (["Enterprise"], true),
        ["Inactive Direct Sales Rules"] = (["Retired rule"], true),
        ["Direct Sales Rule Lookup View"] = (["Enterprise"], true),
        ["Direct Sales Rule Advanced Find View"] = (["Enterprise", "Retired rule"], false),
        ["Quick Find Active Direct Sales Rules"] = (["Enterprise"], true),
        ["Active Reassignment Runs"] = (["run-2"], true),
        ["Inactive Reassignment Runs"] = (["run-1"], true),
        ["Reassignment Run Lookup View"] = (["run-2"], true),
        ["Reassignment Run Advanced Find View"] = (["run-1", "run-2"], false),
        ["Quick Find Active Reassignment Runs"] = (["run-2"], true),
    };

    /// <summary>The quick find term substituted for {0}: it matches every seeded rule and run name.</summary>
    private const string QuickFindTerm = "%";

    [Fact]
    public void EveryView_RunAsFetchXml_ReturnsExactlyTheRowsItsNamePromises()
    {
        var views = _org.GetService().RetrieveMultiple(new QueryExpression("savedquery") { ColumnSet = new ColumnSet("name", "fetchxml", "returnedtypecode") }).Entities;

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), views.Select(v => v.GetAttributeValue<string>("name")).Order(StringComparer.Ordinal));
        foreach (var view in views)
        {
            var name = view.GetAttributeValue<string>("name");
            var fetchXml = view.GetAttributeValue<string>("fetchxml").Replace("{0}", QuickFindTerm, StringComparison.Ordinal);
            var table = view.GetAttributeValue<string>("returnedtypecode");
            var primaryName = table.StartsWith("pg_", StringComparison.Ordinal) ? "pg_name" : "name";
            var rows = _org.GetService().RetrieveMultiple(new FetchExpression(fetchXml)).Entities.Select(e => e.GetAttributeValue<string>(primaryName)).ToList();
            var (expected, ordered) = Expected[name];
            if (ordered)
            {
                Assert.True(expected.SequenceEqual(rows), $"view '{name}' returned [{string.Join(", ", rows)}], expected [{string.Join(", ", expected)}]");
            }
            else
            {
                Assert.True(expected.Order().SequenceEqual(rows.Order()), $"view '{name}' returned [{string.Join(", ", rows)}], expected [{string.Join(", ", expected)}] in any order");
            }
        }
    }

    [Fact]
    public void ConflictView_ComparesTheDealsPartnerWithTheCustomersAssignedPartnerThroughTheLinkAlias()
    {
        var view = View("Deals in channel conflict");
        var fetch = System.Xml.Linq.XElement.Parse(view.GetAttributeValue<string>("fetchxml"));

        var comparison = Assert.Single(fetch.Descendants("condition"), c => c.Attribute("valueof") is not null);
        Assert.Equal("customer.pg_assignedpartnerid", (string?)comparison.Attribute("valueof"));
        var rows = _org.GetService().RetrieveMultiple(new FetchExpression(fetch.ToString())).Entities;
        Assert.All(rows, r => Assert.NotEqual(
            r.GetAttributeValue<EntityReference>("pg_partnerid").Id,
            ((EntityReference)r.GetAttributeValue<AliasedValue>("customer.pg_assignedpartnerid").Value).Id));
    }

    [Fact]
    public async Task WebApi_ServesTheViewsOfATable_FilteredOnReturnedTypeCode()
    {
        using var response = await _http.SendAsync(WebApiFixture.Request(HttpMethod.Get,
            "savedqueries?$select=name,returnedtypecode,fetchxml&$filter=returnedtypecode eq 'opportunity'&$orderby=name"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = body.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(
            ["Bypassed deals", "Deals by channel", "Deals handled direct, by rule", "Deals in channel conflict", "Open deals without a partner", "Unresolved deals (audit mode)"],
            rows.Select(r => r.GetProperty("name").GetString()));
        Assert.All(rows, r => Assert.Equal("opportunity", r.GetProperty("returnedtypecode").GetString()));
        Assert.All(rows, r => Assert.StartsWith("<fetch", r.GetProperty("fetchxml").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebApi_RunsAViewsFetchXml_AsDataverseDoes()
    {
        var fetchXml = View("Unresolved deals (audit mode)").GetAttributeValue<string>("fetchxml");

        using var response = await _http.SendAsync(WebApiFixture.Request(HttpMethod.Get, "opportunities?fetchXml=" + Uri.EscapeDataString(fetchXml)));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Conflict unresolved", "Unresolved"], body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public void LoadingTheSolutionAgain_KeepsOneRowPerView_WithTheSameIds()
    {
        var before = _org.GetService().RetrieveMultiple(new QueryExpression("savedquery") { ColumnSet = new ColumnSet(false) }).Entities.Select(e => e.Id).Order().ToList();

        var again = _org.LoadSolution(RepoPaths.SolutionSource, registerSteps: false);

        Assert.Empty(again.Components);
        var after = _org.GetService().RetrieveMultiple(new QueryExpression("savedquery") { ColumnSet = new ColumnSet(false) }).Entities.Select(e => e.Id).Order().ToList();
        Assert.Equal(before, after);
    }

    private Entity View(string name)
    {
        var query = new QueryExpression("savedquery") { ColumnSet = new ColumnSet("name", "fetchxml") };
        query.Criteria.AddCondition("name", ConditionOperator.Equal, name);
        return Assert.Single(_org.GetService().RetrieveMultiple(query).Entities);
    }

    private void Seed()
    {
        var service = _org.GetService();
        Guid Account(string name, int? type, Action<Entity>? set = null)
        {
            var account = new Entity("account") { ["name"] = name };
            if (type is { } t)
            {
                account["customertypecode"] = new OptionSetValue(t);
            }

            set?.Invoke(account);
            return _org.Seed(account);
        }

        void Deactivate(string table, Guid id) => service.Update(new Entity(table, id) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });

        var northwind = Account("Northwind Partner", 5, a => a["pg_partnercapacity"] = 10);
        var fabrikam = Account("Fabrikam Reseller", 9, a => a["pg_partnercapacity"] = 50);
        Account("Open Partner", 5);
        Deactivate("account", Account("Retired Partner", 5, a => a["pg_partnercapacity"] = 5));

        var alpha = Account("Alpha Customer", 3, a => a["pg_assignedpartnerid"] = new EntityReference("account", northwind));
        var beta = Account("Beta Customer", 3);
        var gamma = Account("Gamma Customer", null);
        Deactivate("account", Account("Delta Customer", 3));
        var epsilon = Account("Epsilon Customer", 3, a => a["pg_assignedpartnerid"] = new EntityReference("account", fabrikam));

        var enterprise = _org.Seed(new Entity("pg_directsalesrule") { ["pg_name"] = "Enterprise" });
        Deactivate("pg_directsalesrule", _org.Seed(new Entity("pg_directsalesrule") { ["pg_name"] = "Retired rule" }));
        Deactivate("pg_reassignmentrun", _org.Seed(new Entity("pg_reassignmentrun") { ["pg_name"] = "run-1" }));
        _org.Seed(new Entity("pg_reassignmentrun") { ["pg_name"] = "run-2" });

        Guid Deal(string name, Guid customer, Guid? partner, int? channel, Guid? rule = null)
        {
            var deal = new Entity("opportunity") { ["name"] = name, ["customerid"] = new EntityReference("account", customer) };
            if (partner is { } p)
            {
                deal["pg_partnerid"] = new EntityReference("account", p);
            }

            if (channel is { } c)
            {
                deal["pg_channel"] = new OptionSetValue(c);
            }

            if (rule is { } r)
            {
                deal["pg_directsalesruleid"] = new EntityReference("pg_directsalesrule", r);
            }

            return _org.Seed(deal);
        }

        Deal("Partner ok", alpha, northwind, Partner);
        Deal("Conflict", alpha, fabrikam, Partner);
        Deal("Partner, customer unassigned", beta, northwind, Partner);
        Deal("Direct open", beta, null, Direct, enterprise);
        var won = Deal("Direct won", gamma, null, Direct, enterprise);
        service.Update(new Entity("opportunity", won) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(3) });
        Deal("Unresolved", beta, null, Unresolved);
        Deal("Bypassed", gamma, null, Bypassed);
        Deal("Undecided", gamma, null, null);
        Deal("Conflict unresolved", epsilon, northwind, Unresolved);
    }
}
