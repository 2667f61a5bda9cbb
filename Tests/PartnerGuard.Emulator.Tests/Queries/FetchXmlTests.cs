using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Tests.Support;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// FetchXML cases (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/condition for the
/// operator names; link-entity 'from' is the linked table's column and 'to' the parent's).
/// </summary>
public sealed class FetchXmlTests : IClassFixture<QueryData>
{
    private readonly QueryData _data;

    public FetchXmlTests(QueryData data) => _data = data;

    private List<string> Names(string fetch, bool sort = true)
    {
        var names = _data.Org.GetService().RetrieveMultiple(new FetchExpression(fetch)).Entities.Select(e => (string)e["name"]).ToList();
        if (sort)
        {
            names.Sort(StringComparer.Ordinal);
        }

        return names;
    }

    private static string Accounts(string filter) =>
        $"<fetch><entity name='account'><attribute name='name'/><filter>{filter}</filter></entity></fetch>";

    [Theory]
    [InlineData("<condition attribute='address1_country' operator='eq' value='us'/>", "Contoso|Fabrikam|Northwind_Traders")]
    [InlineData("<condition attribute='numberofemployees' operator='ne' value='10'/>", "Contoso|Contoso Europe")]
    [InlineData("<condition attribute='revenue' operator='null'/>", "Café Olé|Contoso Berlin|Northwind_Traders")]
    [InlineData("<condition attribute='parentaccountid' operator='not-null'/>", "Contoso Berlin|Contoso Europe")]
    [InlineData("<condition attribute='address1_country' operator='in'><value>DE</value><value>GB</value></condition>", "Adventure Works|Contoso Berlin|Contoso Europe")]
    [InlineData("<condition attribute='address1_country' operator='not-in'><value>US</value><value>DE</value></condition>", "Adventure Works|Café Olé")]
    [InlineData("<condition attribute='revenue' operator='gt' value='250000'/>", "Contoso|Contoso Europe")]
    [InlineData("<condition attribute='revenue' operator='ge' value='250000'/>", "Contoso|Contoso Europe|Fabrikam")]
    [InlineData("<condition attribute='numberofemployees' operator='lt' value='50'/>", "Fabrikam|Northwind_Traders")]
    [InlineData("<condition attribute='numberofemployees' operator='le' value='50'/>", "Contoso Europe|Fabrikam|Northwind_Traders")]
    [InlineData("<condition attribute='name' operator='like' value='%works'/>", "Adventure Works")]
    [InlineData("<condition attribute='name' operator='not-like' value='C%'/>", "Adventure Works|Fabrikam|Northwind_Traders")]
    [InlineData("<condition attribute='name' operator='begins-with' value='contoso '/>", "Contoso Berlin|Contoso Europe")]
    [InlineData("<condition attribute='name' operator='ends-with' value='ole'/>", "Café Olé")]
    [InlineData("<condition attribute='revenue' operator='between'><value>0</value><value>250000</value></condition>", "Adventure Works|Fabrikam")]
    [InlineData("<condition attribute='customertypecode' operator='eq' value='5'/>", "Adventure Works|Fabrikam")]
    [InlineData("<filter type='or'><condition attribute='name' operator='eq' value='Fabrikam'/><condition attribute='name' operator='eq' value='Contoso'/></filter>", "Contoso|Fabrikam")]
    public void Conditions(string filter, string expected)
    {
        Assert.Equal(expected.Split('|'), Names(Accounts(filter)));
    }

    [Theory]
    [InlineData("under", "Contoso", "Contoso Berlin|Contoso Europe")]
    [InlineData("eq-or-under", "Contoso Europe", "Contoso Berlin|Contoso Europe")]
    [InlineData("not-under", "Contoso Europe", "Adventure Works|Café Olé|Contoso|Contoso Europe|Fabrikam|Northwind_Traders")]
    [InlineData("above", "Contoso Berlin", "Contoso|Contoso Europe")]
    [InlineData("eq-or-above", "Contoso Berlin", "Contoso|Contoso Berlin|Contoso Europe")]
    public void HierarchyOperators(string op, string anchor, string expected)
    {
        var filter = $"<condition attribute='accountid' operator='{op}' value='{_data.Ids[anchor]}'/>";
        Assert.Equal(expected.Split('|'), Names(Accounts(filter)));
    }

    [Theory]
    [InlineData("on", "2026-05-10", "Big deal")]
    [InlineData("on-or-before", "2026-05-11", "Big deal|Small deal")]
    [InlineData("on-or-after", "2026-05-11", "Contact deal|Small deal")]
    public void DateOperators(string op, string value, string expected)
    {
        var fetch = $"<fetch><entity name='opportunity'><attribute name='name'/><filter><condition attribute='estimatedclosedate' operator='{op}' value='{value}'/></filter></entity></fetch>";
        Assert.Equal(expected.Split('|'), Names(fetch));
    }

    // Link-entity with alias and link-type; an outer join with a null check on the alias finds rows without a match.
    [Fact]
    public void LinkEntities_InnerAndOuter()
    {
        var inner = "<fetch distinct='true'><entity name='account'><attribute name='name'/>" +
                    "<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='inner'/></entity></fetch>";
        Assert.Equal(new[] { "Contoso", "Fabrikam" }, Names(inner));

        var outer = "<fetch><entity name='account'><attribute name='name'/>" +
                    "<link-entity name='contact' from='parentcustomerid' to='accountid' alias='c' link-type='outer'/>" +
                    "<filter><condition entityname='c' attribute='contactid' operator='null'/></filter></entity></fetch>";
        Assert.Equal(new[] { "Adventure Works", "Café Olé", "Contoso Berlin", "Contoso Europe", "Northwind_Traders" }, Names(outer));
    }

    [Fact]
    public void LinkAttributes_AreAliasedValues_AndOrderAndTopApply()
    {
        var fetch = "<fetch top='2'><entity name='opportunity'><attribute name='name'/><order attribute='estimatedvalue' descending='true'/>" +
                    "<link-entity name='account' from='accountid' to='customerid' alias='acct'><attribute name='name'/></link-entity></entity></fetch>";
        var rows = _data.Org.GetService().RetrieveMultiple(new FetchExpression(fetch)).Entities;
        Assert.Equal(new[] { "Big deal", "Small deal" }, rows.Select(r => (string)r["name"]));
        Assert.Equal("Contoso", ((AliasedValue)rows[0]["acct.name"]).Value);
        Assert.Equal("account", ((AliasedValue)rows[0]["acct.name"]).EntityLogicalName);
    }

    // A FetchXML entity without attribute elements returns all columns.
    [Fact]
    public void NoAttributes_ReturnsAllColumns()
    {
        var rows = _data.Org.GetService().RetrieveMultiple(new FetchExpression(
            "<fetch><entity name='account'><filter><condition attribute='name' operator='eq' value='Fabrikam'/></filter></entity></fetch>")).Entities;
        var row = Assert.Single(rows);
        Assert.True(row.Contains("revenue"));
        Assert.True(row.Contains("createdon"));
    }

    // Malformed FetchXML gets a fault naming the problem.
    [Theory]
    [InlineData("<fetch><entity name='account'>", "well-formed")]
    [InlineData("<query/>", "<fetch>")]
    [InlineData("<fetch><entity name='account'><filter><condition attribute='name' operator='sounds-like' value='x'/></filter></entity></fetch>", "sounds-like")]
    [InlineData("<fetch><entity name='account'><bogus/></entity></fetch>", "bogus")]
    [InlineData("<fetch count='abc'><entity name='account'/></fetch>", "count")]
    [InlineData("<fetch aggregate='true'><entity name='account'><attribute name='name' aggregate='count'/></entity></fetch>", "alias")]
    [InlineData("<fetch><entity name='account'><attribute name='name' aggregate='count' alias='n'/></entity></fetch>", "aggregate='true'")]
    [InlineData("<fetch><entity name='account'><link-entity name='contact' from='parentcustomerid' to='accountid' link-type='sideways'/></entity></fetch>", "sideways")]
    public void Malformed_Faults(string fetch, string mentioned)
    {
        var exception = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(
            () => _data.Org.GetService().RetrieveMultiple(new FetchExpression(fetch)));
        Assert.Contains(mentioned, exception.Detail.Message);
    }

    // "Filter on column values in the same row" and "Cross table comparisons" (learn.microsoft.com/power-apps/developer/
    // data-platform/fetchxml/filter-rows): valueof names a column of the same row, or alias.column of a link-entity;
    // the columns must be of the same type.
    [Fact]
    public void ValueOf_SameRowAndAcrossALinkEntityAlias()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var contoso = service.Create(new Entity("account") { ["name"] = "Contoso" });
        service.Create(new Entity("contact") { ["firstname"] = "Contoso", ["lastname"] = "Contoso", ["parentcustomerid"] = new EntityReference("account", contoso) });
        service.Create(new Entity("contact") { ["firstname"] = "Ada", ["lastname"] = "Lovelace", ["parentcustomerid"] = new EntityReference("account", contoso) });
        service.Create(new Entity("contact") { ["firstname"] = "Solo", ["lastname"] = "Solo" });

        List<string> FirstNames(string fetch) => service.RetrieveMultiple(new FetchExpression(fetch)).Entities
            .Select(e => (string)e["firstname"]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(new[] { "Contoso", "Solo" }, FirstNames(
            "<fetch><entity name='contact'><attribute name='firstname'/><filter><condition attribute='firstname' operator='eq' valueof='lastname'/></filter></entity></fetch>"));
        Assert.Equal(new[] { "Contoso" }, FirstNames(
            "<fetch><entity name='contact'><attribute name='firstname'/><filter><condition attribute='lastname' operator='eq' valueof='acct.name'/></filter>"
            + "<link-entity name='account' from='accountid' to='parentcustomerid' link-type='outer' alias='acct'><attribute name='name'/></link-entity></entity></fetch>"));
        Assert.Equal(new[] { "Ada" }, FirstNames(
            "<fetch><entity name='contact'><attribute name='firstname'/><filter><condition attribute='lastname' operator='ne' valueof='acct.name'/></filter>"
            + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='acct'/></entity></fetch>"));

        var fault = Assert.Throws<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => service.RetrieveMultiple(new FetchExpression(
            "<fetch><entity name='contact'><filter><condition attribute='lastname' operator='eq' valueof='createdon'/></filter></entity></fetch>")));
        Assert.Contains("same type", fault.Detail.Message);
    }
}
