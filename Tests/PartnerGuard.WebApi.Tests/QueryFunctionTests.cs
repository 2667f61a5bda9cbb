using System.Net;
using System.Text.Json;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.WebApi.Tests;

/// <summary>
/// The Dataverse query functions in $filter. Platform facts, from "Web API Query Function Reference" and the
/// per-function pages (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/in, notin, between,
/// under, on, …): they are called as Microsoft.Dynamics.CRM.{Name}(PropertyName='…',PropertyValues=['…','…']) or
/// with PropertyValue='…' for the single-value ones; every value is an Edm.String; each one is the
/// ConditionOperator of the same name.
/// </summary>
public sealed class QueryFunctionTests
{
    private const string Fn = "Microsoft.Dynamics.CRM.";

    private static WebApiFixture WithAccounts(out Dictionary<string, Guid> ids)
    {
        var api = new WebApiFixture();
        var map = new Dictionary<string, Guid>();
        map["Partner Ltd"] = api.SeedAccount("Partner Ltd", e => { e["customertypecode"] = new OptionSetValue(5); e["numberofemployees"] = 20; });
        map["Reseller Inc"] = api.SeedAccount("Reseller Inc", e => { e["customertypecode"] = new OptionSetValue(9); e["numberofemployees"] = 80; });
        map["Contoso"] = api.SeedAccount("Contoso", e => { e["customertypecode"] = new OptionSetValue(3); e["numberofemployees"] = 500; });
        map["Contoso Pharma"] = api.SeedAccount("Contoso Pharma", e => { e["numberofemployees"] = 50; e["parentaccountid"] = new EntityReference("account", map["Contoso"]); });
        map["Contoso Labs"] = api.SeedAccount("Contoso Labs", e => e["parentaccountid"] = new EntityReference("account", map["Contoso Pharma"]));
        map["Closed Co"] = api.SeedAccount("Closed Co", e => { e["customertypecode"] = new OptionSetValue(5); e["statecode"] = new OptionSetValue(1); e["statuscode"] = new OptionSetValue(2); });
        ids = map;
        return api;
    }

    private static string[] Names(JsonElement body) => body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();

    [Theory]
    // The console's partner query: statecode and In over a choice column, values as strings.
    [InlineData("statecode eq 0 and " + Fn + "In(PropertyName='customertypecode',PropertyValues=['5','9'])", "Partner Ltd,Reseller Inc")]
    [InlineData(Fn + "In(PropertyName='customertypecode',PropertyValues=['5'])", "Closed Co,Partner Ltd")]
    [InlineData(Fn + "In(PropertyName='name',PropertyValues=['Contoso','Nobody'])", "Contoso")]
    [InlineData(Fn + "NotIn(PropertyName='customertypecode',PropertyValues=['5','9'])", "Contoso")]
    [InlineData("not " + Fn + "In(PropertyName='customertypecode',PropertyValues=['5','9'])", "Contoso")]
    [InlineData(Fn + "Between(PropertyName='numberofemployees',PropertyValues=['20','80'])", "Contoso Pharma,Partner Ltd,Reseller Inc")]
    [InlineData(Fn + "NotBetween(PropertyName='numberofemployees',PropertyValues=['20','80'])", "Contoso")]
    [InlineData(Fn + "In(PropertyName=@p1,PropertyValues=@p2)&@p1='customertypecode'&@p2=['9']", "Reseller Inc")]
    public async Task In_NotIn_Between(string filter, string expected)
    {
        using var api = WithAccounts(out _);
        var (response, body) = await api.GetAsync("accounts?$select=accountid,name&$orderby=name&$filter=" + filter);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Split(','), Names(body));
    }

    // The console's id lookups: In over the primary key and over a lookup's _x_value, with GUID strings.
    [Fact]
    public async Task In_WithGuidValues_OnPrimaryKeyAndLookup()
    {
        using var api = WithAccounts(out var ids);
        var (response, body) = await api.GetAsync(
            $"accounts?$select=name&$orderby=name&$filter={Fn}In(PropertyName='accountid',PropertyValues=['{ids["Contoso"]}','{ids["Partner Ltd"]:D}'])");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "Contoso", "Partner Ltd" }, Names(body));

        (response, body) = await api.GetAsync(
            $"accounts?$select=name&$filter={Fn}In(PropertyName='_parentaccountid_value',PropertyValues=['{ids["Contoso Pharma"]}'])");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { "Contoso Labs" }, Names(body));
    }

    // "Query hierarchical data": Under/UnderOrEqual/Above/AboveOrEqual/NotUnder walk parentaccountid.
    [Theory]
    [InlineData("Under", "Contoso", "Contoso Labs,Contoso Pharma")]
    [InlineData("UnderOrEqual", "Contoso", "Contoso,Contoso Labs,Contoso Pharma")]
    [InlineData("Above", "Contoso Labs", "Contoso,Contoso Pharma")]
    [InlineData("AboveOrEqual", "Contoso Pharma", "Contoso,Contoso Pharma")]
    public async Task Hierarchy(string function, string anchor, string expected)
    {
        using var api = WithAccounts(out var ids);
        var (response, body) = await api.GetAsync($"accounts?$select=name&$orderby=name&$filter={Fn}{function}(PropertyName='accountid',PropertyValue='{ids[anchor]}')");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Split(','), Names(body));
    }

    // On/OnOrBefore/OnOrAfter compare the date part of a date-time column with a yyyy-MM-dd string.
    [Fact]
    public async Task On_OnOrBefore_OnOrAfter()
    {
        using var api = WithAccounts(out _);
        var (_, all) = await api.GetAsync("accounts?$select=name,createdon");
        var createdOn = all.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("createdon").GetDateTime().Date).Distinct().Single();
        var day = createdOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var before = createdOn.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(6, Names((await api.GetAsync($"accounts?$select=name&$filter={Fn}On(PropertyName='createdon',PropertyValue='{day}')")).Body).Length);
        Assert.Equal(6, Names((await api.GetAsync($"accounts?$select=name&$filter={Fn}OnOrAfter(PropertyName='createdon',PropertyValue='{before}')")).Body).Length);
        Assert.Empty(Names((await api.GetAsync($"accounts?$select=name&$filter={Fn}OnOrBefore(PropertyName='createdon',PropertyValue='{before}')")).Body));
    }

    // A malformed call is a 400 naming the problem, in Dataverse's error shape.
    [Theory]
    [InlineData(Fn + "In(PropertyName='nosuchcolumn',PropertyValues=['a'])", "Could not find a property named 'nosuchcolumn'")]
    [InlineData(Fn + "In(PropertyName='name')", "PropertyValues")]
    [InlineData(Fn + "In(PropertyName='name',PropertyValue='a')", "PropertyValues")]
    [InlineData(Fn + "Under(PropertyName='accountid',PropertyValues=['a'])", "PropertyValue")]
    [InlineData(Fn + "In(PropertyName='name',PropertyValues=[])", "at least one value")]
    [InlineData(Fn + "Between(PropertyName='numberofemployees',PropertyValues=['1','2','3'])", "exactly two")]
    [InlineData(Fn + "In(PropertyName='numberofemployees',PropertyValues=['many'])", "many")]
    [InlineData(Fn + "In(PropertyName='accountid',PropertyValues=['not-a-guid'])", "not-a-guid")]
    [InlineData(Fn + "In(PropertyName=@p1,PropertyValues=['a'])", "@p1")]
    [InlineData(Fn + "Nope(PropertyName='name',PropertyValues=['a'])", "Nope")]
    public async Task MalformedCall_Answers400NamingTheProblem(string filter, string mentioned)
    {
        using var api = WithAccounts(out _);
        var (response, body) = await api.GetAsync("accounts?$select=name&$filter=" + filter);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("0x", WebApiFixture.ErrorCode(body), StringComparison.Ordinal);
        Assert.Contains(mentioned, WebApiFixture.ErrorMessage(body), StringComparison.Ordinal);
    }

    // Dataverse's $metadata declares the query functions as unbound Functions returning Edm.Boolean.
    [Fact]
    public async Task Metadata_DeclaresTheQueryFunctions()
    {
        using var api = new WebApiFixture();
        var response = await api.Http.SendAsync(WebApiFixture.Request(HttpMethod.Get, "$metadata"));
        var csdl = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());

        var function = csdl.Descendants().Single(e => e.Name.LocalName == "Function" && (string?)e.Attribute("Name") == "In");
        Assert.Equal(new[] { "PropertyName", "PropertyValues" }, function.Elements().Where(e => e.Name.LocalName == "Parameter").Select(e => (string)e.Attribute("Name")!));
        Assert.Equal("Edm.Boolean", (string?)function.Elements().Single(e => e.Name.LocalName == "ReturnType").Attribute("Type"));
    }
}
