using System.Net;

namespace PartnerGuard.WebApi.Tests;

/// <summary>Malformed input of every kind gets a Dataverse-shaped 4xx, never a 500, a crash or a hang.</summary>
public sealed class RobustnessTests
{
    [Theory]
    [InlineData("accounts?$filter=(((")]
    [InlineData("accounts?$filter=name eq 'unterminated")]
    [InlineData("accounts?$filter=name gt 5")]
    [InlineData("accounts?$filter=numberofemployees add 1")]
    [InlineData("accounts?$filter=1 eq 1")]
    [InlineData("accounts?$filter=name eq name")]
    [InlineData("accounts?$filter=pg_AssignedPartnerId/name eq 'x'")]
    [InlineData("accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='nosuchcolumn',PropertyValues=['a'])")]
    [InlineData("accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='name')")]
    [InlineData("accounts?$filter=Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=['1'])")]
    [InlineData("accounts?$filter=Microsoft.Dynamics.CRM.In(PropertyName='numberofemployees',PropertyValues=['many'])")]
    [InlineData("accounts?$filter=length(name) eq 3")]
    [InlineData("accounts?$filter=contains(name)")]
    [InlineData("accounts?$filter=createdon gt 2024-13-45")]
    [InlineData("accounts?$orderby=name sideways")]
    [InlineData("accounts?$orderby=pg_AssignedPartnerId")]
    [InlineData("accounts?$select=pg_AssignedPartnerId")]
    [InlineData("accounts?$expand=nosuchnavigation")]
    [InlineData("accounts?$expand=pg_AssignedPartnerId($top=1)")]
    [InlineData("accounts?$expand=pg_AssignedPartnerId($expand=pg_AssignedPartnerId)")]
    [InlineData("accounts?$top=abc")]
    [InlineData("accounts?$top=999999")]
    [InlineData("accounts?$count=maybe")]
    [InlineData("accounts?$apply=groupby((name))")]
    [InlineData("accounts?fetchXml=%3Cfetch")]
    [InlineData("accounts?fetchXml=%3Cfetch%3E%3Centity%20name%3D%22account%22%3E%3Cattribute%20name%3D%22nope%22%2F%3E%3C%2Fentity%3E%3C%2Ffetch%3E")]
    [InlineData("accounts(not-a-guid)")]
    [InlineData("accounts(accountnumber='A-1')")]
    [InlineData("accounts(00000000-0000-0000-0000-000000000001)/name")]
    [InlineData("EntityDefinitions(LogicalName='nosuchtable')")]
    [InlineData("EntityDefinitions(LogicalName='account')?$select=NoSuchProperty")]
    [InlineData("EntityDefinitions(LogicalName='account')/ManyToOneRelationships?$filter=ReferencingAttribute gt 5")]
    [InlineData("EntityDefinitions(42)")]
    [InlineData("sdkmessagefilters?$filter=isvisible eq 'yes'")]
    [InlineData("nosuchset")]
    public async Task MalformedQueries_Answer4xxInDataverseShape(string url)
    {
        using var api = new WebApiFixture();
        api.SeedAccount("Contoso");
        var (response, body) = await api.GetAsync(url);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.StartsWith("0x", WebApiFixture.ErrorCode(body), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(WebApiFixture.ErrorMessage(body)));
    }

    [Theory]
    [InlineData("POST", "accounts", "")]
    [InlineData("POST", "accounts", "null")]
    [InlineData("POST", "accounts", "{\"name\":")]
    [InlineData("POST", "accounts", "{\"@odata.type\":\"Microsoft.Dynamics.CRM.contact\",\"name\":\"x\"}")]
    [InlineData("POST", "accounts", "{\"revenue\":\"lots\"}")]
    [InlineData("POST", "accounts", "{\"createdon\":\"yesterday\"}")]
    [InlineData("POST", "accounts", "{\"statecode\":7}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid@odata.bind\":\"accounts(nope)\"}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid@odata.bind\":\"/accounts(00000000-0000-0000-0000-000000000001)\"}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid@odata.bind\":\"/Accounts(00000000-0000-0000-0000-000000000001)\"}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid@odata.bind\":5}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid@odata.bind\":\"$1\"}")]
    [InlineData("POST", "accounts", "{\"name\":\"x\",\"parentaccountid\":\"00000000-0000-0000-0000-000000000001\"}")]
    [InlineData("POST", "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", "{\"Targets\":5}")]
    [InlineData("POST", "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", "{\"Targets\":[]}")]
    [InlineData("POST", "accounts/Microsoft.Dynamics.CRM.UpsertMultiple", "{\"Targets\":[]}")]
    [InlineData("POST", "accounts/Microsoft.Dynamics.CRM.CreateMultiple", "{\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM.account\",\"name\":7}]}")]
    [InlineData("POST", "$batch", "--x--")]
    [InlineData("PATCH", "accounts", "{}")]
    [InlineData("PATCH", "accounts(00000000-0000-0000-0000-000000000001)", "{\"accountid\":\"00000000-0000-0000-0000-000000000002\"}")]
    [InlineData("DELETE", "accounts", "")]
    [InlineData("PUT", "accounts(00000000-0000-0000-0000-000000000001)", "{}")]
    [InlineData("PATCH", "accounts(00000000-0000-0000-0000-000000000001)", "{\"name\":\"x\"}", "If-Match", "not-an-etag")]
    [InlineData("GET", "accounts", "", "Prefer", "odata.maxpagesize=zero")]
    [InlineData("GET", "WhoAmI", "", "MSCRMCallerID", "nobody")]
    public async Task MalformedWrites_Answer4xxInDataverseShape(string method, string url, string json, string? header = null, string? value = null)
    {
        using var api = new WebApiFixture();
        var headers = header is null ? Array.Empty<(string, string)>() : new[] { (header, value!) };
        var (response, body) = await api.SendAsync(new HttpMethod(method), url, json.Length == 0 && method is "GET" or "DELETE" ? null : json, headers);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.StartsWith("0x", WebApiFixture.ErrorCode(body), StringComparison.Ordinal);
        Assert.Equal(0, api.Org.Count("account"));
    }

    // "Update with data returned": PATCH with Prefer: return=representation answers 200 with the updated row.
    [Fact]
    public async Task Patch_ReturnRepresentation_Answers200WithRow()
    {
        using var api = new WebApiFixture();
        var id = api.SeedAccount("Before");
        var (response, body) = await api.SendAsync(HttpMethod.Patch, $"accounts({id})?$select=name", """{"name":"After"}""",
            ("If-Match", "*"), ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("After", body.GetProperty("name").GetString());
    }
}
