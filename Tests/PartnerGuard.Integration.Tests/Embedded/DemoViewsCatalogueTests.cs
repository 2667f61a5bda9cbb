using System.Globalization;
using System.Text.Json;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Integration.Embedded;

namespace PartnerGuard.Integration.Tests.Embedded;

/// <summary>
/// Every opportunity and account view of the solution, run as its FetchXML on the embedded default org (the demo data
/// set), returns exactly the records its name promises, worked out independently of the emulator's query engine: from
/// the rows as the org's state file stores them (read here as plain JSON), and checked against what the demo data set
/// is built from (its catalogue of partners, its customer and deal counts). The rows come back in the view's order, as
/// Dataverse sorts it (Learn, "Order rows using FetchXml", "Ordering lookup and choice columns"): a lookup by the
/// referenced row's primary name, a choice by its label, then the next order, then the primary key. Complements <see cref="DemoViewsTests"/>, which derives its expectations through the
/// organization service.
/// </summary>
[Collection(SeededStateCollection.Name)]
public sealed class DemoViewsCatalogueTests(SeededStateFixture seeded)
{
    private const int Direct = 723100001;
    private const int Unresolved = 723100002;
    private const int Bypassed = 723100003;

    /// <summary>The channel choice's labels (solution/src/OptionSets/pg_channel.xml), which a view sorts the choice by.</summary>
    private static readonly Dictionary<int, string> ChannelLabels = new()
    {
        [723100000] = "Partner",
        [Direct] = "Direct",
        [Unresolved] = "Unresolved",
        [Bypassed] = "Bypassed",
    };

    /// <summary>Case-insensitive, accent-sensitive text order, as Dataverse's default SQL collation sorts names.</summary>
    private static readonly StringComparer Names = StringComparer.Create(CultureInfo.InvariantCulture, ignoreCase: true);

    private sealed record Account(Guid Id, string Name, int State, int? Type, Guid? AssignedPartner, int? Capacity);

    private sealed record Deal(Guid Id, string Name, int State, Guid? Partner, int? Channel, Guid? Customer, decimal? Value, DateTime? DecidedOn, Guid? Rule);

    [Fact]
    public void EveryDealAndAccountView_OnTheDemoOrg_ReturnsTheRecordsItsNamePromises_InItsOrder()
    {
        var (accounts, deals, rules) = ReadStateFile(seeded.StatePath);
        var byId = accounts.ToDictionary(a => a.Id);
        bool IsPartner(Account a) => a.Type is 5 or 9;
        Guid? CustomersPartner(Deal d) => d.Customer is { } c && byId.TryGetValue(c, out var customer) ? customer.AssignedPartner : null;

        // What the demo data set is built from: its catalogue of partners (all active), its customers (all active, none a
        // partner), and its open deals, each decided by the channel plug-in in Audit mode (so each has a channel), none by
        // a member of a bypass team (the demo sets none).
        var catalogue = DemoCatalog.PartnerNames.Select(n => $"{n} {DemoDataSet.Label}").ToHashSet(StringComparer.Ordinal);
        Assert.Equal(catalogue.Order(StringComparer.Ordinal), accounts.Where(IsPartner).Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(DemoDataSet.CustomerCount, accounts.Count(a => !IsPartner(a) && a.State == 0));
        Assert.Equal(DemoDataSet.OpenDealCount, deals.Count(d => d.State == 0 && d.Channel is not null));

        var promises = new Dictionary<string, (IReadOnlyCollection<Guid> Rows, Func<IReadOnlyList<Guid>, string?> Order)>(StringComparer.Ordinal)
        {
            ["Open deals without a partner"] = (Ids(deals.Where(d => d.State == 0 && d.Partner is null)), Descending(deals, d => d.Value)),
            ["Deals by channel"] = (Ids(deals.Where(d => d.Channel is not null)), ByThenName(deals, d => d.Channel is { } c ? ChannelLabels[c] : null)),
            ["Deals handled direct, by rule"] = (Ids(deals.Where(d => d.Channel == Direct)), ByThenName(deals, d => d.Rule is { } r ? rules[r] : null)),
            ["Unresolved deals (audit mode)"] = (Ids(deals.Where(d => d.Channel == Unresolved)), Descending(deals, d => d.DecidedOn)),
            ["Bypassed deals"] = (Ids(deals.Where(d => d.Channel == Bypassed)), AnyOrder),
            ["Deals in channel conflict"] = (Ids(deals.Where(d => d.Partner is { } p && CustomersPartner(d) is { } assigned && assigned != p)), AnyOrder),
            ["Customers without a partner (eligible)"] = (Ids(accounts.Where(a => a.State == 0 && !IsPartner(a) && a.AssignedPartner is null)), ByName(accounts)),
            ["Customers by assigned partner"] = (Ids(accounts.Where(a => a.State == 0 && a.AssignedPartner is not null)), ByPartnerThenName(accounts)),
            ["Active partners"] = (Ids(accounts.Where(a => a.State == 0 && catalogue.Contains(a.Name))), ByName(accounts)),
            ["Partners by load"] = (Ids(accounts.Where(a => a.State == 0 && catalogue.Contains(a.Name))), ByCapacityThenName(accounts)),
        };

        // The two leakage views split the pipeline and the customers between them, as the demo story tells it.
        Assert.Equal(DemoDataSet.CustomerCount, promises["Customers without a partner (eligible)"].Rows.Count + promises["Customers by assigned partner"].Rows.Count);
        Assert.Equal(DemoDataSet.OpenDealCount, promises["Deals by channel"].Rows.Count);

        var org = DataverseOrg.Load(seeded.StatePath);
        var service = org.GetService();
        var views = new QueryExpression("savedquery") { ColumnSet = new ColumnSet("name", "fetchxml") };
        views.Criteria.AddCondition("returnedtypecode", ConditionOperator.In, "opportunity", "account");
        var found = service.RetrieveMultiple(views).Entities;
        Assert.Equal(promises.Keys.Order(StringComparer.Ordinal), found.Select(v => v.GetAttributeValue<string>("name")).Order(StringComparer.Ordinal));

        foreach (var view in found)
        {
            var name = view.GetAttributeValue<string>("name");
            var result = service.RetrieveMultiple(new FetchExpression(view.GetAttributeValue<string>("fetchxml")));
            Assert.False(result.MoreRecords, $"view '{name}' has more rows than one page");
            var returned = result.Entities.Select(e => e.Id).ToList();
            var (expected, order) = promises[name];

            Assert.True(expected.Order().SequenceEqual(returned.Order()), $"view '{name}' returned {returned.Count} rows, its name promises {expected.Count}");
            var disorder = order(returned);
            Assert.True(disorder is null, $"view '{name}' is not in the order it promises: {disorder}");
        }
    }

    private static Guid[] Ids(IEnumerable<Account> rows) => rows.Select(r => r.Id).ToArray();

    private static Guid[] Ids(IEnumerable<Deal> rows) => rows.Select(r => r.Id).ToArray();

    private static string? AnyOrder(IReadOnlyList<Guid> rows) => null;

    /// <summary>Checks that a key never rises from one row to the next (nulls last, as SQL Server sorts descending).</summary>
    private static Func<IReadOnlyList<Guid>, string?> Descending<TKey>(List<Deal> deals, Func<Deal, TKey?> key) where TKey : struct, IComparable<TKey>
    {
        var byId = deals.ToDictionary(d => d.Id);
        return rows =>
        {
            for (var i = 1; i < rows.Count; i++)
            {
                var (before, after) = (key(byId[rows[i - 1]]), key(byId[rows[i]]));
                if ((before is null && after is not null) || (before is { } b && after is { } a && b.CompareTo(a) < 0))
                {
                    return $"row {i} ({after}) comes after {before}";
                }
            }

            return null;
        };
    }

    /// <summary>A text key (a choice's label, a lookup's name; nulls first), then the deal's name, ascending.</summary>
    private static Func<IReadOnlyList<Guid>, string?> ByThenName(List<Deal> deals, Func<Deal, string?> key)
    {
        var byId = deals.ToDictionary(d => d.Id);
        return rows =>
        {
            for (var i = 1; i < rows.Count; i++)
            {
                var (before, after) = (byId[rows[i - 1]], byId[rows[i]]);
                var (k1, k2) = (key(before), key(after));
                var compared = k1 is null ? (k2 is null ? 0 : -1) : k2 is null ? 1 : Names.Compare(k1, k2);
                if (compared > 0 || (compared == 0 && Names.Compare(before.Name, after.Name) > 0))
                {
                    return $"row {i} '{after.Name}' ({k2}) comes after '{before.Name}' ({k1})";
                }
            }

            return null;
        };
    }

    /// <summary>"Customers by assigned partner": the assigned partner's name, then the customer's name.</summary>
    private static Func<IReadOnlyList<Guid>, string?> ByPartnerThenName(List<Account> accounts)
    {
        var byId = accounts.ToDictionary(a => a.Id);
        string? PartnerName(Account a) => a.AssignedPartner is { } p && byId.TryGetValue(p, out var partner) ? partner.Name : null;
        return rows => FirstDisorder(rows.Select(r => byId[r]).ToList(), (x, y) =>
            (PartnerName(x), PartnerName(y)) switch
            {
                (null, null) => Names.Compare(x.Name, y.Name),
                (null, _) => -1,
                (_, null) => 1,
                var (a, b) => Names.Compare(a, b) is var c && c != 0 ? c : Names.Compare(x.Name, y.Name),
            });
    }

    private static Func<IReadOnlyList<Guid>, string?> ByName(List<Account> accounts)
    {
        var byId = accounts.ToDictionary(a => a.Id);
        return rows => FirstDisorder(rows.Select(r => byId[r]).ToList(), (x, y) => Names.Compare(x.Name, y.Name));
    }

    /// <summary>"Partners by load": capacity, largest first (partners without one last), then name.</summary>
    private static Func<IReadOnlyList<Guid>, string?> ByCapacityThenName(List<Account> accounts)
    {
        var byId = accounts.ToDictionary(a => a.Id);
        return rows => FirstDisorder(rows.Select(r => byId[r]).ToList(), (x, y) =>
            x.Capacity == y.Capacity ? Names.Compare(x.Name, y.Name)
            : x.Capacity is null ? 1
            : y.Capacity is null ? -1
            : y.Capacity.Value.CompareTo(x.Capacity.Value));
    }

    private static string? FirstDisorder(List<Account> rows, Comparison<Account> order)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            if (order(rows[i - 1], rows[i]) > 0)
            {
                return $"'{rows[i].Name}' ({rows[i].Capacity}) comes after '{rows[i - 1].Name}' ({rows[i - 1].Capacity})";
            }
        }

        return null;
    }

    /// <summary>The accounts and opportunities as the state file stores them: plain JSON, no emulator involved.</summary>
    private static (List<Account> Accounts, List<Deal> Deals, Dictionary<Guid, string> RuleNames) ReadStateFile(string path)
    {
        using var state = JsonDocument.Parse(File.ReadAllBytes(path));
        var rows = state.RootElement.GetProperty("rows");

        static JsonElement? Value(JsonElement row, string column) =>
            row.GetProperty("values").TryGetProperty(column, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        static Guid? Lookup(JsonElement row, string column) => Value(row, column) is { } v ? v.GetProperty("id").GetGuid() : null;
        static int? Int(JsonElement row, string column) => Value(row, column)?.GetInt32();

        var accounts = rows.GetProperty("account").EnumerateArray().Select(r => new Account(
            r.GetProperty("id").GetGuid(),
            Value(r, "name")!.Value.GetString()!,
            Int(r, "statecode") ?? 0,
            Int(r, "customertypecode"),
            Lookup(r, "pg_assignedpartnerid"),
            Int(r, "pg_partnercapacity"))).ToList();
        var deals = rows.GetProperty("opportunity").EnumerateArray().Select(r => new Deal(
            r.GetProperty("id").GetGuid(),
            Value(r, "name")!.Value.GetString()!,
            Int(r, "statecode") ?? 0,
            Lookup(r, "pg_partnerid"),
            Int(r, "pg_channel"),
            Lookup(r, "customerid"),
            Value(r, "estimatedvalue") is { } v ? decimal.Parse(v.GetString()!, CultureInfo.InvariantCulture) : null,
            Value(r, "pg_channeldecidedon") is { } at ? DateTime.Parse(at.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
            Lookup(r, "pg_directsalesruleid"))).ToList();
        var rules = rows.TryGetProperty("pg_directsalesrule", out var ruleRows)
            ? ruleRows.EnumerateArray().ToDictionary(r => r.GetProperty("id").GetGuid(), r => Value(r, "pg_name")?.GetString() ?? string.Empty)
            : new Dictionary<Guid, string>();
        return (accounts, deals, rules);
    }
}
