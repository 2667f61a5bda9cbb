using System.Net;
using System.Text.Json;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// $expand of navigation properties. Platform facts, from "Join tables using OData"
/// (learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables): a single-valued navigation
/// property comes back as the related row's object (with its @odata.etag and primary key) or null; a
/// collection-valued one (named by the one-to-many relationship's schema name) as a JSON array of rows, empty when
/// there are none; nested $select picks their columns; $filter, $orderby and $top apply to collection-valued ones only.
/// </summary>
public sealed class ExpandTests
{
    private const string SettingsQuery = "environmentvariabledefinitions?$select=schemaname,defaultvalue"
        + "&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)"
        + "&$filter=Microsoft.Dynamics.CRM.In(PropertyName='schemaname',PropertyValues=['pg_EnforcementMode','pg_ConflictPolicy'])";

    private static WebApiFixture WithSettings()
    {
        var api = new WebApiFixture();
        var mode = api.Org.Seed(new Entity("environmentvariabledefinition") { ["schemaname"] = "pg_EnforcementMode", ["defaultvalue"] = "Audit" });
        api.Org.Seed(new Entity("environmentvariabledefinition") { ["schemaname"] = "pg_ConflictPolicy", ["defaultvalue"] = "KeepExisting" });
        api.Org.Seed(new Entity("environmentvariabledefinition") { ["schemaname"] = "pg_Other", ["defaultvalue"] = "x" });
        api.Org.Seed(new Entity("environmentvariablevalue")
        {
            ["schemaname"] = "pg_EnforcementMode",
            ["value"] = "Enforce",
            ["environmentvariabledefinitionid"] = new EntityReference("environmentvariabledefinition", mode),
        });
        return api;
    }

    // The console's settings read (Integration/Dataverse/PlanningSource.cs), verbatim.
    [Fact]
    public async Task CollectionValued_WithNestedSelect_ReturnsAnArrayPerRow()
    {
        using var api = WithSettings();
        var (response, body) = await api.GetAsync(SettingsQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = body.GetProperty("value").EnumerateArray().ToDictionary(r => r.GetProperty("schemaname").GetString()!);
        Assert.Equal(new[] { "pg_ConflictPolicy", "pg_EnforcementMode" }, rows.Keys.Order(StringComparer.Ordinal));

        var values = rows["pg_EnforcementMode"].GetProperty("environmentvariabledefinition_environmentvariablevalue");
        var value = Assert.Single(values.EnumerateArray());
        Assert.Equal("Enforce", value.GetProperty("value").GetString());
        Assert.True(value.TryGetProperty("environmentvariablevalueid", out _));
        Assert.True(value.TryGetProperty("@odata.etag", out _));
        Assert.False(value.TryGetProperty("schemaname", out _));

        var none = rows["pg_ConflictPolicy"].GetProperty("environmentvariabledefinition_environmentvariablevalue");
        Assert.Equal(JsonValueKind.Array, none.ValueKind);
        Assert.Equal(0, none.GetArrayLength());
        Assert.Equal("KeepExisting", rows["pg_ConflictPolicy"].GetProperty("defaultvalue").GetString());
    }

    [Fact]
    public async Task SingleValued_WithNestedSelect_ReturnsTheRowOrNull()
    {
        using var api = new WebApiFixture();
        var partner = api.SeedAccount("Partner Ltd", e => e["telephone1"] = "555");
        api.SeedAccount("Contoso", e => e["pg_assignedpartnerid"] = new EntityReference("account", partner));

        var (response, body) = await api.GetAsync("accounts?$select=name&$orderby=name&$expand=pg_AssignedPartnerId($select=name)");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = body.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);
        var assigned = rows[0].GetProperty("pg_AssignedPartnerId");
        Assert.Equal("Partner Ltd", assigned.GetProperty("name").GetString());
        Assert.Equal(partner, assigned.GetProperty("accountid").GetGuid());
        Assert.False(assigned.TryGetProperty("telephone1", out _));
        // The lookup was read to follow it, but it was not selected: it is not written.
        Assert.False(rows[0].TryGetProperty("_pg_assignedpartnerid_value", out _));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("pg_AssignedPartnerId").ValueKind);
    }

    [Fact]
    public async Task SingleRow_Expands_BothKinds()
    {
        using var api = new WebApiFixture();
        var parent = api.SeedAccount("Contoso");
        api.SeedAccount("Contoso Pharma", e => e["parentaccountid"] = new EntityReference("account", parent));
        api.SeedAccount("Contoso Labs", e => e["parentaccountid"] = new EntityReference("account", parent));
        var child = api.SeedAccount("Contoso Retail", e => e["parentaccountid"] = new EntityReference("account", parent));

        var (response, body) = await api.GetAsync($"accounts({parent})?$select=name&$expand=account_parent_account($select=name;$filter=name ne 'Contoso Labs';$orderby=name desc)");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "Contoso Retail", "Contoso Pharma" },
            body.GetProperty("account_parent_account").EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        (response, body) = await api.GetAsync($"accounts({child})?$select=name&$expand=parentaccountid($select=name)");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Contoso", body.GetProperty("parentaccountid").GetProperty("name").GetString());
    }

    // $top inside a collection-valued $expand limits each row's array; without nested $select every column comes back.
    [Fact]
    public async Task CollectionValued_TopPerRow_AndAllColumnsWithoutSelect()
    {
        using var api = new WebApiFixture();
        var a = api.SeedAccount("A");
        var b = api.SeedAccount("B");
        foreach (var (parent, name) in new[] { (a, "A1"), (a, "A2"), (a, "A3"), (b, "B1") })
        {
            api.SeedAccount(name, e => e["parentaccountid"] = new EntityReference("account", parent));
        }

        var (response, body) = await api.GetAsync("accounts?$select=name&$filter=Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['A','B'])&$orderby=name&$expand=account_parent_account($orderby=name;$top=2)");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = body.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(new[] { "A1", "A2" }, rows[0].GetProperty("account_parent_account").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        var b1 = Assert.Single(rows[1].GetProperty("account_parent_account").EnumerateArray());
        Assert.True(b1.TryGetProperty("_parentaccountid_value", out var parentValue));
        Assert.Equal(b, parentValue.GetGuid());
        Assert.True(b1.TryGetProperty("numberofemployees", out _));
    }

    [Theory]
    [InlineData("accounts?$expand=nosuchnavigation", "nosuchnavigation")]
    [InlineData("accounts?$expand=pg_AssignedPartnerId($select=nosuchcolumn)", "nosuchcolumn")]
    [InlineData("accounts?$expand=pg_AssignedPartnerId($filter=name eq 'x')", "single-valued")]
    [InlineData("accounts?$expand=account_parent_account($expand=parentaccountid)", "nested $expand")]
    [InlineData("accounts?$expand=account_parent_account($count=true)", "account_parent_account")]
    public async Task BadExpand_Answers400NamingTheProblem(string url, string mentioned)
    {
        using var api = new WebApiFixture();
        api.SeedAccount("Contoso");
        var (response, body) = await api.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("0x", WebApiFixture.ErrorCode(body), StringComparison.Ordinal);
        Assert.Contains(mentioned, WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }
}
