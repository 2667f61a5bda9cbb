using System.Data.SqlTypes;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator.Tests.Queries;

/// <summary>
/// Dataverse stores Guid columns as SQL Server uniqueidentifier and orders them the way SQL Server does: the last
/// six bytes weigh most, so the order is neither Guid.CompareTo nor the order of the text. Source: Microsoft Learn,
/// "Comparing GUID and uniqueidentifier values" (learn.microsoft.com/dotnet/framework/data/adonet/sql/
/// comparing-guid-and-uniqueidentifier-values): "SqlGuid implements CompareTo using SQL Server behavior, in the
/// last six bytes of a value are most significant"; System.Data.SqlTypes.SqlGuid implements that order, so the tests
/// use it as the oracle. $orderby, FetchXML order, range conditions and key-based paging all follow it.
/// </summary>
public sealed class UniqueIdentifierOrderTests
{
    // The three values of the Learn article's example: Guid.CompareTo sorts them 1, 2, 3 (first group);
    // SQL Server sorts them by the last group, 1EEE…, 2EEE…, 3EEE…, so 2AAA…, 3AAA…, 1AAA….
    private static readonly Guid A3 = new("3AAAAAAA-BBBB-CCCC-DDDD-2EEEEEEEEEEE");
    private static readonly Guid A2 = new("2AAAAAAA-BBBB-CCCC-DDDD-1EEEEEEEEEEE");
    private static readonly Guid A1 = new("1AAAAAAA-BBBB-CCCC-DDDD-3EEEEEEEEEEE");

    private static int Sign(int value) => Math.Sign(value);

    private static List<Guid> SqlSorted(IEnumerable<Guid> ids) => ids.OrderBy(g => new SqlGuid(g)).ToList();

    [Fact]
    public void Compare_MatchesSqlGuid_OnTheLearnExample()
    {
        var ids = new[] { A3, A2, A1 };
        Assert.Equal(new[] { A2, A3, A1 }, ids.OrderBy(g => g, UniqueIdentifierOrder.Comparer));
        Assert.Equal(new[] { A1, A2, A3 }, ids.OrderBy(g => g)); // what Guid.CompareTo would have given
    }

    [Fact]
    public void Compare_MatchesSqlGuid_ForEveryBytePosition_AndRandomPairs()
    {
        // Two Guids that differ in one byte position only, with the bytes on either side of the sign boundary.
        for (var position = 0; position < 16; position++)
        {
            foreach (var (low, high) in new[] { (0x00, 0x01), (0x7F, 0x80), (0xFE, 0xFF) })
            {
                var x = new byte[16];
                var y = new byte[16];
                x[position] = (byte)low;
                y[position] = (byte)high;
                var gx = new Guid(x);
                var gy = new Guid(y);
                Assert.Equal(Sign(new SqlGuid(gx).CompareTo(new SqlGuid(gy))), Sign(UniqueIdentifierOrder.Compare(gx, gy)));
                Assert.Equal(Sign(new SqlGuid(gy).CompareTo(new SqlGuid(gx))), Sign(UniqueIdentifierOrder.Compare(gy, gx)));
            }
        }

        // A lower byte in a more significant position decides even when every less significant byte is higher.
        var random = new Random(20261127);
        var bytes = new byte[16];
        for (var i = 0; i < 5_000; i++)
        {
            random.NextBytes(bytes);
            var a = new Guid(bytes);
            // Half the pairs share a prefix of the SQL order, so later positions get exercised too.
            if (i % 2 == 0)
            {
                bytes[random.Next(16)] ^= (byte)(1 << random.Next(8));
            }
            else
            {
                random.NextBytes(bytes);
            }

            var b = new Guid(bytes);
            Assert.Equal(Sign(new SqlGuid(a).CompareTo(new SqlGuid(b))), Sign(UniqueIdentifierOrder.Compare(a, b)));
        }

        Assert.Equal(0, UniqueIdentifierOrder.Compare(A1, new Guid(A1.ToString())));
    }

    private static (DataverseOrg Org, List<Guid> Ids) OrgWithAccounts(int count)
    {
        var org = DataverseOrg.Create();
        var random = new Random(42);
        var bytes = new byte[16];
        var ids = new List<Guid> { A1, A2, A3 };
        while (ids.Count < count)
        {
            random.NextBytes(bytes);
            ids.Add(new Guid(bytes));
        }

        org.Seed(ids.Select((id, i) => new Entity("account", id) { ["name"] = $"Account {i:D3}" }));
        return (org, ids);
    }

    [Theory]
    [InlineData(OrderType.Ascending)]
    [InlineData(OrderType.Descending)]
    public void QueryExpression_OrderByPrimaryKey_FollowsSqlServerOrder(OrderType direction)
    {
        var (org, ids) = OrgWithAccounts(60);
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name") };
        query.AddOrder("accountid", direction);

        var got = org.GetService().RetrieveMultiple(query).Entities.Select(e => e.Id).ToList();

        var expected = SqlSorted(ids);
        if (direction == OrderType.Descending)
        {
            expected.Reverse();
        }

        Assert.Equal(expected, got);
        Assert.NotEqual(ids.OrderBy(g => g).ToList(), SqlSorted(ids)); // the data tells the orders apart
    }

    // Paging by cookie (page results with QueryExpression): the cookie holds the last row's key, and the next page
    // starts after it in the same order, so pages walk every row once in SQL Server's order.
    [Fact]
    public void Paging_ByPrimaryKey_WalksEveryRowOnceInSqlServerOrder()
    {
        var (org, ids) = OrgWithAccounts(47);
        var service = org.GetService();
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 5, PageNumber = 1 } };
        query.AddOrder("accountid", OrderType.Ascending);
        var got = new List<Guid>();
        while (true)
        {
            var page = service.RetrieveMultiple(query);
            got.AddRange(page.Entities.Select(e => e.Id));
            if (!page.MoreRecords)
            {
                break;
            }

            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }

        Assert.Equal(SqlSorted(ids), got);
    }

    [Fact]
    public void FetchXml_OrderAndLookupOrder_FollowSqlServerOrder()
    {
        var (org, ids) = OrgWithAccounts(30);
        var service = org.GetService();
        // With useraworderby a lookup column orders by the referenced id, in the same order (without it, by the
        // referenced row's name: LookupAndChoiceOrderTests).
        var random = new Random(7);
        var bytes = new byte[16];
        foreach (var id in ids)
        {
            random.NextBytes(bytes);
            var contact = org.Seed(new Entity("contact", new Guid(bytes)) { ["lastname"] = "Contact" });
            service.Update(new Entity("account", id) { ["primarycontactid"] = new EntityReference("contact", contact) });
        }

        var byId = service.RetrieveMultiple(new FetchExpression(
            "<fetch><entity name='account'><attribute name='name' /><order attribute='accountid' /></entity></fetch>"));
        Assert.Equal(SqlSorted(ids), byId.Entities.Select(e => e.Id));

        var byParent = service.RetrieveMultiple(new FetchExpression(
            "<fetch useraworderby='true'><entity name='account'><attribute name='primarycontactid' /><order attribute='primarycontactid' descending='true' /></entity></fetch>"));
        var parents = byParent.Entities.Select(e => e.GetAttributeValue<EntityReference>("primarycontactid").Id).ToList();
        Assert.Equal(parents.OrderByDescending(g => new SqlGuid(g)).ToList(), parents);
    }

    // A range condition on a Guid column compares the same way as SQL Server's "accountid > @x".
    [Fact]
    public void GreaterThan_OnPrimaryKey_UsesSqlServerOrder()
    {
        var (org, ids) = OrgWithAccounts(40);
        var pivot = SqlSorted(ids)[20];
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet(false) };
        query.Criteria.AddCondition("accountid", ConditionOperator.GreaterThan, pivot);
        query.AddOrder("accountid", OrderType.Ascending);

        var got = org.GetService().RetrieveMultiple(query).Entities.Select(e => e.Id).ToList();

        Assert.Equal(SqlSorted(ids).Skip(21), got);
    }
}
