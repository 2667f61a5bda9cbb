using System.Net;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.WebApi.Tests;

public sealed class CrudTests
{
    // "Create a table row using the Web API": POST answers 204 No Content with OData-EntityId naming the new row.
    [Fact]
    public async Task Post_CreatesRow_Answers204WithODataEntityId()
    {
        using var api = new WebApiFixture();
        var (response, _) = await api.SendAsync(HttpMethod.Post, "accounts", """{"name":"Contoso","revenue":5000000.5,"numberofemployees":12}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entityId = response.Headers.GetValues("OData-EntityId").Single();
        Assert.StartsWith("http://localhost/api/data/v9.2/accounts(", entityId, StringComparison.Ordinal);
        var id = Guid.Parse(entityId[(entityId.IndexOf('(') + 1)..^1]);
        var stored = api.Org.GetService().Retrieve("account", id, new ColumnSet("name", "revenue", "numberofemployees"));
        Assert.Equal("Contoso", stored["name"]);
        Assert.Equal(5000000.5m, ((Money)stored["revenue"]).Value);
        Assert.Equal(12, stored["numberofemployees"]);
    }

    // "Create with data returned": Prefer: return=representation gives 201 Created with the row and its @odata.etag.
    [Fact]
    public async Task Post_ReturnRepresentation_Answers201WithSelectedColumns()
    {
        using var api = new WebApiFixture();
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts?$select=name,accountid", """{"name":"Fabrikam"}""", ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("http://localhost/api/data/v9.2/$metadata#accounts(name,accountid)/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("Fabrikam", body.GetProperty("name").GetString());
        Assert.Matches("^W/\"\\d+\"$", body.GetProperty("@odata.etag").GetString());
        Assert.False(body.TryGetProperty("revenue", out _));
    }

    // "Retrieve a table row": GET by key with $select; the etag is W/"versionnumber" in the body and the ETag header.
    [Fact]
    public async Task GetById_ReturnsSelectedColumnsAndEtag()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Contoso", e => e["numberofemployees"] = 250);
        var version = api.Org.GetService().Retrieve("account", id, new ColumnSet("versionnumber"))["versionnumber"];

        var (response, body) = await api.GetAsync($"accounts({id})?$select=name,numberofemployees");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"W/\"{version}\"", body.GetProperty("@odata.etag").GetString());
        Assert.Equal($"W/\"{version}\"", response.Headers.ETag!.ToString());
        Assert.Equal(250, body.GetProperty("numberofemployees").GetInt32());
        Assert.Equal(id, body.GetProperty("accountid").GetGuid());
    }

    // "Retrieve a table row": a missing row is 404 with ObjectDoesNotExist (0x80040217).
    [Fact]
    public async Task GetById_Missing_Answers404WithDataverseCode()
    {
        using var api = new WebApiFixture();
        var id = Guid.NewGuid();
        var (response, body) = await api.GetAsync($"accounts({id})");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("0x80040217", WebApiFixture.ErrorCode(body));
        Assert.Contains(id.ToString(), WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // webapi-notes §2.1 / "Web API navigation properties": custom lookups bind by the navigation property's schema
    // name (pg_AssignedPartnerId); the value reads back through the lowercase lookup property _pg_assignedpartnerid_value.
    [Fact]
    public async Task Patch_BindsLookupByNavigationName()
    {
        using var api = new WebApiFixture();
        var partner = api.SeedAccount("Partner Ltd");
        var customer = api.SeedAccount("Customer Inc");

        var (response, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({customer})",
            $$"""{"pg_AssignedPartnerId@odata.bind":"/accounts({{partner}})"}""", ("If-Match", "*"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var (_, body) = await api.GetAsync($"accounts({customer})?$select=_pg_assignedpartnerid_value",
            ("Prefer", "odata.include-annotations=\"*\""));
        Assert.Equal(partner, body.GetProperty("_pg_assignedpartnerid_value").GetGuid());
        Assert.Equal("Partner Ltd", body.GetProperty("_pg_assignedpartnerid_value@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("pg_AssignedPartnerId", body.GetProperty("_pg_assignedpartnerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").GetString());
        Assert.Equal("account", body.GetProperty("_pg_assignedpartnerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
    }

    // Navigation property names are case-sensitive; the lowercase logical name fails in the payload parser with
    // 0x80048d19 "An undeclared property … which only has property annotations" (webapi-notes §2.1, Microsoft Q&A 1187177).
    [Fact]
    public async Task Patch_WrongCaseNavigationName_FailsAsDataverse()
    {
        using var api = new WebApiFixture();
        var partner = api.SeedAccount("Partner Ltd");
        var customer = api.SeedAccount("Customer Inc");

        var (response, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({customer})",
            $$"""{"pg_assignedpartnerid@odata.bind":"/accounts({{partner}})"}""", ("If-Match", "*"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80048d19", WebApiFixture.ErrorCode(body));
        Assert.Contains("An undeclared property 'pg_assignedpartnerid' which only has property annotations", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
        var stored = api.Org.GetService().Retrieve("account", customer, new ColumnSet("pg_assignedpartnerid"));
        Assert.False(stored.Contains("pg_assignedpartnerid"));
    }

    // "Prevent create in upsert": PATCH with If-Match: * on a missing row is 404 and creates nothing.
    [Fact]
    public async Task Patch_IfMatchStar_MissingRow_Answers404()
    {
        using var api = new WebApiFixture();
        var id = Guid.NewGuid();
        var (response, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Ghost"}""", ("If-Match", "*"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("0x80040217", WebApiFixture.ErrorCode(body));
        Assert.Equal(0, api.Org.Count("account"));
    }

    // "Upsert a table row": PATCH without If-Match creates the row when the key does not exist.
    [Fact]
    public async Task Patch_WithoutIfMatch_Upserts()
    {
        using var api = new WebApiFixture();
        var id = Guid.NewGuid();
        var (created, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"New via upsert"}""");
        var (updated, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Renamed via upsert"}""");

        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.Equal("Renamed via upsert", api.Org.GetService().Retrieve("account", id, new ColumnSet("name"))["name"]);
        Assert.Equal(1, api.Org.Count("account"));
    }

    // "Apply optimistic concurrency": If-Match with a stale etag is 412 with ConcurrencyVersionMismatch (0x80060882);
    // with the current etag the update goes through.
    [Fact]
    public async Task Patch_IfMatchEtag_StaleIs412_CurrentSucceeds()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Contoso");
        var (_, first) = await api.GetAsync($"accounts({id})?$select=name");
        var etag = first.GetProperty("@odata.etag").GetString()!;
        var (ok, _) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Contoso 2"}""", ("If-Match", etag));
        var (stale, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})", """{"name":"Contoso 3"}""", ("If-Match", etag));

        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("0x80060882", WebApiFixture.ErrorCode(body));
        Assert.Equal("Contoso 2", api.Org.GetService().Retrieve("account", id, new ColumnSet("name"))["name"]);
    }

    // "Delete a table row": DELETE answers 204, then the row is gone (404).
    [Fact]
    public async Task Delete_RemovesRow()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Doomed");
        var (deleted, _) = await api.SendAsync(HttpMethod.Delete, $"accounts({id})");
        var (again, _) = await api.GetAsync($"accounts({id})");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    // "Compose HTTP requests and handle errors": malformed JSON, unknown columns and wrong types are 400 with
    // Dataverse's payload error code (0x80048d19) and a message naming the problem.
    [Theory]
    [InlineData("""{"name":"x",""", "not valid JSON")]
    [InlineData("""{"nonexistentcolumn":1}""", "'nonexistentcolumn' does not exist on type 'Microsoft.Dynamics.CRM.account'")]
    [InlineData("""{"numberofemployees":"many"}""", "Edm.Int32")]
    [InlineData("""{"_pg_assignedpartnerid_value":"00000000-0000-0000-0000-000000000001"}""", "Use Navigation properties")]
    [InlineData("[1,2]", "JSON object")]
    public async Task Post_BadPayload_Answers400PayloadError(string json, string expected)
    {
        using var api = new WebApiFixture();
        var (response, body) = await api.SendAsync(HttpMethod.Post, "accounts", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("0x80048d19", WebApiFixture.ErrorCode(body));
        Assert.Contains(expected, WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
        Assert.Equal(0, api.Org.Count("account"));
    }

    // Entity set names are case-sensitive: an unknown segment is 404 "Resource not found for the segment".
    [Fact]
    public async Task UnknownEntitySet_Answers404()
    {
        using var api = new WebApiFixture();
        var (response, body) = await api.GetAsync("Accounts");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Resource not found for the segment 'Accounts'", WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // "WhoAmI function": GET WhoAmI returns UserId, BusinessUnitId and OrganizationId; the bearer token maps to a user.
    [Fact]
    public async Task WhoAmI_ReturnsTheTokensUser()
    {
        var sellerId = Guid.NewGuid();
        using var api = new WebApiFixture(new DataverseWebApiOptions { Tokens = new Dictionary<string, Guid> { ["seller-token"] = sellerId } },
            org => org.CreateUser("Sam Seller", id: sellerId));
        var (admin, adminBody) = await api.GetAsync("WhoAmI");
        var (seller, sellerBody) = await api.GetAsync("WhoAmI", ("Authorization", "Bearer seller-token"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(api.Org.AdministratorId, adminBody.GetProperty("UserId").GetGuid());
        Assert.Equal(api.Org.OrganizationId, adminBody.GetProperty("OrganizationId").GetGuid());
        Assert.Equal(sellerId, sellerBody.GetProperty("UserId").GetGuid());
        Assert.Equal(api.Org.RootBusinessUnitId, sellerBody.GetProperty("BusinessUnitId").GetGuid());
        Assert.True(int.Parse(seller.Headers.GetValues("x-ms-dop-hint").Single()) > 0);
    }

    // With RequireKnownToken, an unknown bearer token is 401 as Dataverse answers an invalid token.
    [Fact]
    public async Task UnknownToken_WhenRequired_Answers401()
    {
        using var api = new WebApiFixture(new DataverseWebApiOptions { RequireKnownToken = true });
        var (response, _) = await api.GetAsync("WhoAmI", ("Authorization", "Bearer nope"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // ResolveTokensAsUserNames (the loopback console connection): a token not in Tokens names an enabled systemuser by
    // domainname (case-insensitive), else by fullname; an unknown or disabled one is 401 naming it; no token is the administrator.
    [Theory]
    [InlineData("PRIYA@contoso.example", "priya")]
    [InlineData("priya patel", "priya")]
    [InlineData("Jonas Weber", "jonas")]
    public async Task NameToken_WhenResolved_RunsAsThatUser(string token, string expected)
    {
        var ids = new Dictionary<string, Guid> { ["priya"] = Guid.NewGuid(), ["jonas"] = Guid.NewGuid() };
        using var api = new WebApiFixture(new DataverseWebApiOptions { ResolveTokensAsUserNames = true }, org =>
        {
            SeedUser(org, ids["priya"], "Priya Patel", "priya@contoso.example", disabled: false);
            SeedUser(org, ids["jonas"], "Jonas Weber", "jonas@contoso.example", disabled: false);
            // A disabled user of the same full name is never chosen.
            SeedUser(org, Guid.NewGuid(), "Jonas Weber", "old-jonas@contoso.example", disabled: true);
        });

        var (response, body) = await api.GetAsync("WhoAmI", ("Authorization", "Bearer " + token));
        var (_, anonymous) = await api.GetAsync("WhoAmI");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ids[expected], body.GetProperty("UserId").GetGuid());
        Assert.Equal(api.Org.AdministratorId, anonymous.GetProperty("UserId").GetGuid());
    }

    [Theory]
    [InlineData("Nobody Here")]
    [InlineData("Dora Disabled")]
    public async Task NameToken_OfNoEnabledUser_Answers401NamingIt(string token)
    {
        using var api = new WebApiFixture(new DataverseWebApiOptions { ResolveTokensAsUserNames = true }, org =>
        {
            SeedUser(org, Guid.NewGuid(), "Dora Disabled", "dora@contoso.example", disabled: true);
        });

        var (response, body) = await api.GetAsync("WhoAmI", ("Authorization", "Bearer " + token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("0x80072560", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains($"'{token}'", body.GetProperty("error").GetProperty("message").GetString());
    }

    private static void SeedUser(PartnerGuard.Emulator.DataverseOrg org, Guid id, string fullName, string domainName, bool disabled) =>
        org.Seed(new Entity("systemuser", id)
        {
            ["fullname"] = fullName,
            ["domainname"] = domainName,
            ["isdisabled"] = disabled,
            ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
        });
}
