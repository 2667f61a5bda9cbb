using BenchmarkDotNet.Attributes;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;

namespace PartnerGuard.Benchmarks;

/// <summary>
/// The emulator at benchmark scale: creates, updates and queries against an org holding 100,000 accounts, as the
/// administrator (System Administrator: every security check passes at once) and as a seller whose role gives account
/// privileges at Local depth (every row read or written is checked against the depth, every query row filtered).
/// Run: dotnet run -c Release --project Benchmarks -- --filter '*Emulator*'
/// </summary>
[MemoryDiagnoser]
public class EmulatorBenchmarks
{
    private static readonly string[] Countries = { "US", "DE", "FR", "GB", "NL", "SE", "JP", "BR", "IN", "CA" };

    private DataverseOrg _org = null!;
    private IOrganizationService _service = null!;
    private Guid[] _ids = Array.Empty<Guid>();
    private int _next;

    /// <summary>Rows in the account table.</summary>
    [Params(100_000)]
    public int Rows { get; set; }

    /// <summary>Who calls: "administrator" or "seller" (a role with account Create/Read/Write at Local depth).</summary>
    [Params("administrator", "seller")]
    public string Caller { get; set; } = "administrator";

    [GlobalSetup]
    public void Setup()
    {
        _org = DataverseOrg.Create();
        _service = Caller == "seller" ? _org.GetService(Seller(_org)) : _org.GetService();
        _ids = _org.Seed(Enumerable.Range(0, Rows).Select(i => new Entity("account")
        {
            ["name"] = $"Account {i:D6}",
            ["address1_country"] = Countries[i % Countries.Length],
            ["numberofemployees"] = i % 5000,
            ["revenue"] = new Money(i * 10m),
        })).ToArray();
    }

    /// <summary>One Create through IOrganizationService (validation, system columns, _base money).</summary>
    [Benchmark]
    public Guid Create() => _service.Create(new Entity("account") { ["name"] = "New", ["revenue"] = new Money(5m) });

    /// <summary>One Update of an existing row by id.</summary>
    [Benchmark]
    public void Update()
    {
        var id = _ids[_next++ % _ids.Length];
        _service.Update(new Entity("account", id) { ["telephone1"] = "555-0100" });
    }

    /// <summary>UpdateMultiple of 1,000 rows in one request (one transaction).</summary>
    [Benchmark]
    public void UpdateMultiple1000()
    {
        var start = (_next += 1000) % (_ids.Length - 1000);
        var targets = new EntityCollection(_ids.Skip(start).Take(1000).Select(id => new Entity("account", id) { ["accountnumber"] = "A" }).ToList())
        {
            EntityName = "account",
        };
        _service.Execute(new UpdateMultipleRequest { Targets = targets });
    }

    /// <summary>Retrieve one row by id.</summary>
    [Benchmark]
    public Entity RetrieveById() => _service.Retrieve("account", _ids[_next++ % _ids.Length], new ColumnSet("name", "revenue"));

    /// <summary>A filtered query over the whole table (full scan: the emulator has no secondary indexes), first 50 by name.</summary>
    [Benchmark]
    public int QueryFilteredTop50()
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), TopCount = 50 };
        query.Criteria.AddCondition("address1_country", ConditionOperator.Equal, "de");
        query.Criteria.AddCondition("numberofemployees", ConditionOperator.GreaterThan, 2500);
        query.AddOrder("name", OrderType.Ascending);
        return _service.RetrieveMultiple(query).Entities.Count;
    }

    /// <summary>The same filter in FetchXML, one page of 5,000.</summary>
    [Benchmark]
    public int FetchXmlPage()
    {
        var fetch = "<fetch count='5000' page='1'><entity name='account'><attribute name='name'/><attribute name='revenue'/>" +
                    "<filter><condition attribute='address1_country' operator='in'><value>US</value><value>DE</value></condition></filter>" +
                    "<order attribute='name'/></entity></fetch>";
        return _service.RetrieveMultiple(new FetchExpression(fetch)).Entities.Count;
    }

    /// <summary>Reads every row with cookie paging, 5,000 per page (the console's streaming read).</summary>
    [Benchmark]
    public int PageThroughAll()
    {
        var query = new QueryExpression("account") { ColumnSet = new ColumnSet("name"), PageInfo = new PagingInfo { Count = 5000, PageNumber = 1 } };
        query.AddOrder("accountid", OrderType.Ascending);
        var total = 0;
        while (true)
        {
            var page = _service.RetrieveMultiple(query);
            total += page.Entities.Count;
            if (!page.MoreRecords)
            {
                return total;
            }

            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }
    }

    /// <summary>A user in the root business unit holding a role with account Create, Read and Write at Local depth.</summary>
    private static Guid Seller(DataverseOrg org)
    {
        var admin = org.GetService();
        var role = admin.Create(new Entity("role") { ["name"] = "Benchmark seller", ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId) });
        foreach (var name in new[] { "prvCreateAccount", "prvReadAccount", "prvWriteAccount" })
        {
            var privilege = PartnerGuard.Emulator.Security.Privileges.IdOf(name);
            admin.Create(new Entity("privilege", privilege) { ["name"] = name });
            admin.Create(new Entity("roleprivileges") { ["roleid"] = role, ["privilegeid"] = privilege, ["privilegedepthmask"] = 2 });
        }

        var user = org.CreateUser("Benchmark Seller");
        admin.Associate("systemuser", user, new Relationship("systemuserroles_association"), new EntityReferenceCollection { new EntityReference("role", role) });
        return user;
    }
}
