using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// How a query orders lookup and choice columns. Sources (Microsoft Learn):
/// - "Order rows using FetchXml", section "Ordering lookup and choice columns"
///   (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/order-rows): a lookup sorts by the related
///   table's primary name, a choice by its label in the user's language; the fetch element's <c>useraworderby</c>
///   makes them sort by the stored Guid and integer.
/// - The Web API's "Order rows" (…/webapi/query/order-rows) says FetchXml and QueryExpression sort a choice by its label.
/// - "Ordering and paging" (the same FetchXml page and "Page results"): without a unique order Dataverse adds the
///   primary key; the paging cookie carries the last row's order values, so pages follow the same order.
/// - Nulls come first ascending and last descending, as SQL Server sorts them ("Comparing GUID and uniqueidentifier
///   values" for the uniqueidentifier order of the primary key that breaks ties).
/// The ids are chosen so that the stored order (SQL Server's uniqueidentifier order, the last group weighing most)
/// is the reverse of the name and label order: each test fails if the emulator orders by the stored value.
/// </summary>
public sealed class LookupAndChoiceOrderTests
{
    private static readonly Guid Zeta = Id(1);
    private static readonly Guid Mu = Id(2);
    private static readonly Guid Alpha = Id(3);

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    /// <summary>
    /// Accounts Zeta, Mu, Alpha (ids ascending); account choice customertypecode labelled 1 "Zulu", 2 "Mike",
    /// 3 "Alpha"; contacts c1…c7 pointing to those accounts (two to Mu, one to none).
    /// </summary>
    private static DataverseOrg Org()
    {
        var org = DataverseOrg.Create();
        org.Metadata.GetExact("account").FindExact("customertypecode")!.OptionLabels =
            new Dictionary<int, string> { [1] = "Zulu", [2] = "Mike", [3] = "Alpha" };
        org.Seed(new[]
        {
            new Entity("account", Zeta) { ["name"] = "Zeta", ["customertypecode"] = new OptionSetValue(1) },
            new Entity("account", Mu) { ["name"] = "Mu", ["customertypecode"] = new OptionSetValue(2) },
            new Entity("account", Alpha) { ["name"] = "alpha", ["customertypecode"] = new OptionSetValue(3) },
            new Entity("account", Id(4)) { ["name"] = "No type" },
        });
        Contact(org, 1, Zeta);
        Contact(org, 2, Mu);
        Contact(org, 3, Alpha);
        Contact(org, 4, null);
        Contact(org, 5, Mu);
        return org;
    }

    private static void Contact(DataverseOrg org, int n, Guid? account)
    {
        var contact = new Entity("contact", Id(100 + n)) { ["lastname"] = $"c{n}" };
        if (account is { } id)
        {
            contact["parentcustomerid"] = new EntityReference("account", id);
        }

        org.Seed(contact);
    }

    private static List<string> Names(EntityCollection rows, string column)
        => rows.Entities.Select(e => e.GetAttributeValue<string>(column) ?? "-").ToList();

    private static QueryExpression Contacts(OrderType type)
    {
        var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
        query.AddOrder("parentcustomerid", type);
        return query;
    }

    // A lookup sorts by the referenced row's name (case-insensitive collation: "alpha" before "Mu"); the contact with no
    // account first; c2 and c5 (both Mu) in primary key order, the key Dataverse appends.
    [Fact]
    public void QueryExpression_OrderByLookup_SortsByReferencedName_NullsFirst_TiesByPrimaryKey()
    {
        var rows = Org().GetService().RetrieveMultiple(Contacts(OrderType.Ascending));
        Assert.Equal(new[] { "c4", "c3", "c2", "c5", "c1" }, Names(rows, "lastname"));
    }

    // Descending reverses the name order and puts the null last; the appended primary key stays ascending.
    [Fact]
    public void QueryExpression_OrderByLookupDescending_ReversesNames_NullsLast()
    {
        var rows = Org().GetService().RetrieveMultiple(Contacts(OrderType.Descending));
        Assert.Equal(new[] { "c1", "c2", "c5", "c3", "c4" }, Names(rows, "lastname"));
    }

    // The name is read when the query runs: renaming the referenced account moves its contacts.
    [Fact]
    public void OrderByLookup_FollowsTheReferencedRowsCurrentName()
    {
        var org = Org();
        org.GetService().Update(new Entity("account", Zeta) { ["name"] = "Aardvark" });
        var rows = org.GetService().RetrieveMultiple(Contacts(OrderType.Ascending));
        Assert.Equal(new[] { "c4", "c1", "c3", "c2", "c5" }, Names(rows, "lastname"));
    }

    // A choice sorts by its label: Alpha (3), Mike (2), Zulu (1); the account without a type first.
    [Fact]
    public void QueryExpression_OrderByChoice_SortsByLabel()
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.AddOrder("customertypecode", OrderType.Ascending);
        var rows = Org().GetService().RetrieveMultiple(query);
        Assert.Equal(new[] { "No type", "alpha", "Mu", "Zeta" }, Names(rows, "name"));
    }

    [Theory]
    // Default: lookup by name, choice by label.
    [InlineData("", "contact", "parentcustomerid", false, "c4,c3,c2,c5,c1")]
    [InlineData("", "contact", "parentcustomerid", true, "c1,c2,c5,c3,c4")]
    [InlineData("", "account", "customertypecode", false, "No type,alpha,Mu,Zeta")]
    [InlineData("", "account", "customertypecode", true, "Zeta,Mu,alpha,No type")]
    // useraworderby: lookup by the stored id (Zeta < Mu < Alpha), choice by number (1 < 2 < 3).
    [InlineData(" useraworderby='true'", "contact", "parentcustomerid", false, "c4,c1,c2,c5,c3")]
    [InlineData(" useraworderby='true'", "contact", "parentcustomerid", true, "c3,c2,c5,c1,c4")]
    [InlineData(" useraworderby='true'", "account", "customertypecode", false, "No type,Zeta,Mu,alpha")]
    [InlineData(" useraworderby='false'", "account", "customertypecode", false, "No type,alpha,Mu,Zeta")]
    public void FetchXml_OrderByLookupOrChoice(string fetchAttributes, string table, string column, bool descending, string expected)
    {
        var nameColumn = table == "contact" ? "lastname" : "name";
        var fetch = $"<fetch{fetchAttributes}><entity name='{table}'><attribute name='{nameColumn}' />"
            + $"<order attribute='{column}' descending='{(descending ? "true" : "false")}' /></entity></fetch>";
        var rows = Org().GetService().RetrieveMultiple(new FetchExpression(fetch));
        Assert.Equal(expected.Split(','), Names(rows, nameColumn));
    }

    // An order inside a link-entity sorts by label too: contacts (inner-joined to their account, so c4 drops out)
    // ordered by the account's customertypecode label.
    [Fact]
    public void FetchXml_LinkEntityOrderByChoice_SortsByLabel()
    {
        const string fetch = "<fetch><entity name='contact'><attribute name='lastname' />"
            + "<link-entity name='account' from='accountid' to='parentcustomerid' alias='a'><order attribute='customertypecode' /></link-entity>"
            + "</entity></fetch>";
        var rows = Org().GetService().RetrieveMultiple(new FetchExpression(fetch));
        Assert.Equal(new[] { "c3", "c2", "c5", "c1" }, Names(rows, "lastname"));
    }

    // Paging ordered by a lookup: the cookie carries the referenced name, so the pages cover every row once, in the
    // same order as one unpaged query; a page boundary falls between the two contacts of Mu.
    [Theory]
    [InlineData(OrderType.Ascending)]
    [InlineData(OrderType.Descending)]
    public void Paging_OrderedByLookup_FollowsTheNameOrderAcrossCookies(OrderType type)
    {
        var org = Org();
        var service = org.GetService();
        var expected = Names(service.RetrieveMultiple(Contacts(type)), "lastname");

        var query = Contacts(type);
        query.PageInfo = new PagingInfo { Count = 2, PageNumber = 1 };
        var paged = new List<string>();
        while (true)
        {
            var page = service.RetrieveMultiple(query);
            paged.AddRange(Names(page, "lastname"));
            if (!page.MoreRecords)
            {
                break;
            }

            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }

        Assert.Equal(expected, paged);
        Assert.Equal(5, paged.Distinct().Count());
    }

    // A cookie page skips by the order values, not by offset: a contact added between pages that sorts before the
    // cookie's last row ("Beta" account, before "Mu") is not returned, and no row repeats.
    [Fact]
    public void Paging_OrderedByChoiceLabel_UsesTheCookieNotTheOffset()
    {
        var org = Org();
        var service = org.GetService();
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 2, PageNumber = 1 } };
        query.AddOrder("customertypecode", OrderType.Ascending);
        var first = service.RetrieveMultiple(query);
        Assert.Equal(new[] { "No type", "alpha" }, Names(first, "name"));

        // Its id sorts before alpha's in uniqueidentifier order, so it ties on the label and falls before the cookie's row.
        service.Create(new Entity("account", new Guid("00000001-0000-0000-0000-000000000000")) { ["name"] = "Another alpha", ["customertypecode"] = new OptionSetValue(3) });
        query.PageInfo.PageNumber = 2;
        query.PageInfo.PagingCookie = first.PagingCookie;
        var second = service.RetrieveMultiple(query);
        Assert.Equal(new[] { "Mu", "Zeta" }, Names(second, "name"));
        Assert.False(second.MoreRecords);
    }
}
