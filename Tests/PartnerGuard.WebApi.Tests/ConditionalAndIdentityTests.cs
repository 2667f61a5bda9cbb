using PartnerGuard.Testing;
using System.Net;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.WebApi.Tests;

public sealed class ConditionalAndIdentityTests
{
    // "Perform conditional operations using the Web API": If-None-Match with the current etag answers 304 Not Modified;
    // after a change the row comes back.
    [Fact]
    public async Task IfNoneMatch_CurrentEtag_Answers304()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Contoso");
        var (first, _) = await api.GetAsync($"accounts({id})?$select=name");
        var etag = first.Headers.ETag!.ToString();
        var (unchanged, _) = await api.GetAsync($"accounts({id})?$select=name", ("If-None-Match", etag));
        await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Contoso 2"}""", ("If-Match", "*"));
        var (changed, body) = await api.GetAsync($"accounts({id})?$select=name", ("If-None-Match", etag));

        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Contoso 2", body.GetProperty("name").GetString());
    }

    // "If-None-Match: *" creates only: an existing row is 412.
    [Fact]
    public async Task IfNoneMatchStar_ExistingRow_Answers412()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Contoso");
        var (response, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Other"}""", ("If-None-Match", "*"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("Contoso", api.Org.GetService().Retrieve("account", id, new ColumnSet("name"))["name"]);
    }

    // DELETE with a stale etag is refused (412) and keeps the row.
    [Fact]
    public async Task Delete_StaleEtag_Answers412()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Contoso");
        var (_, body) = await api.GetAsync($"accounts({id})?$select=name");
        var etag = body.GetProperty("@odata.etag").GetString()!;
        await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Changed"}""", ("If-Match", "*"));
        var (response, _) = await api.SendAsync(HttpMethod.Delete, $"accounts({id})", null, ("If-Match", etag));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(1, api.Org.Count("account"));
    }

    // "Disassociate": binding null clears a lookup.
    [Fact]
    public async Task BindNull_ClearsLookup()
    {
        using var api = new WebApiFixture();
        var partner = api.SeedAccount("Partner");
        var id = api.SeedAccount("Customer", e => e["pg_assignedpartnerid"] = new EntityReference("account", partner));
        var (response, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"pg_AssignedPartnerId@odata.bind":null}""", ("If-Match", "*"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(api.Org.GetService().Retrieve("account", id, new ColumnSet("pg_assignedpartnerid")).Contains("pg_assignedpartnerid"));
    }

    // A bind to a table the lookup does not point to is a payload error naming the navigation property.
    [Fact]
    public async Task BindToWrongTable_Answers400()
    {
        using var api = new WebApiFixture();
        var user = RoleAssignments.CreateAdministrator(api.Org, "Someone");
        var id = api.SeedAccount("Customer");
        var (response, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", $$"""{"pg_AssignedPartnerId@odata.bind":"/systemusers({{user}})"}""", ("If-Match", "*"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pg_AssignedPartnerId", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // ownerid binds to /teams(...) or /systemusers(...) ("Assign a table row": update ownerid).
    [Fact]
    public async Task OwnerBind_ToTeam()
    {
        using var api = new WebApiFixture();
        var team = api.Org.CreateTeam("Partner team");
        var id = api.SeedAccount("Customer");
        var (response, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", $$"""{"ownerid@odata.bind":"/teams({{team}})"}""", ("If-Match", "*"));
        var (_, body) = await api.GetAsync($"accounts({id})?$select=_ownerid_value", ("Prefer", "odata.include-annotations=\"*\""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(team, body.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal("team", body.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.Equal("ownerid", body.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").GetString());
    }

    // "Impersonate another user": MSCRMCallerID runs the request as that systemuser (createdby shows it).
    [Fact]
    public async Task MscrmCallerId_Impersonates()
    {
        using var api = new WebApiFixture();
        var seller = RoleAssignments.CreateAdministrator(api.Org, "Sam Seller");
        var (response, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Made for Sam"}""", ("MSCRMCallerID", seller.ToString()));
        var entityId = response.Headers.GetValues("OData-EntityId").Single();
        var id = Guid.Parse(entityId[(entityId.IndexOf('(') + 1)..^1]);

        Assert.Equal(seller, ((EntityReference)api.Org.GetService().Retrieve("account", id, new ColumnSet("createdby"))["createdby"]).Id);
    }

    // "Count rows": GET {set}/$count answers the number as text.
    [Fact]
    public async Task CountSegment_AnswersPlainNumber()
    {
        using var api = new WebApiFixture();
        api.SeedAccount("A");
        api.SeedAccount("B");

        Assert.Equal("2", await api.Http.GetStringAsync("accounts/$count"));
    }

    // Error annotations: with odata.include-annotations, a plugin's error carries the help link (webapi-notes §6.1).
    [Fact]
    public async Task ErrorAnnotations_HelpLink()
    {
        using var api = new WebApiFixture();
        var (_, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({Guid.NewGuid()})", """{"name":"x"}""",
            ("If-Match", "*"), ("Prefer", "odata.include-annotations=\"*\""));

        Assert.Contains("CrmException%3a80040217", body.GetProperty("error").GetProperty("@Microsoft.PowerApps.CDS.HelpLink").GetString(), StringComparison.Ordinal);
    }

    // Outside /api/data/v9.x the host answers 404 in the same error shape.
    [Fact]
    public async Task OutsideTheApiRoot_Answers404()
    {
        using var api = new WebApiFixture();
        var response = await api.Http.GetAsync("http://localhost/somewhere/else");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
