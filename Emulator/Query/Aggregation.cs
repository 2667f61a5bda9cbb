using System.Globalization;
using System.Text;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator.Query;

/// <summary>What an aggregate FetchXML query asks for: its attributes (aggregates and group-bys), orders and record limit.</summary>
internal sealed class AggregateSpec
{
    /// <summary>The platform's limit on the rows an aggregate query may read (Learn, "Aggregate data using FetchXml").</summary>
    public const int MaxRecords = 50_000;

    public List<AggregateColumn> Columns { get; } = new();

    public List<AggregateOrder> Orders { get; } = new();

    public int Limit { get; init; } = MaxRecords;
}

/// <summary>One attribute of an aggregate query: the link-entity it sits in (null: the main table), its function or group-by.</summary>
internal sealed record AggregateColumn(LinkEntity? Link, string Attribute, string Alias, string? Function, bool GroupBy, string? DateGrouping, bool Distinct);

/// <summary>An order of an aggregate query: by alias (what Learn says to use), or by a group-by attribute.</summary>
internal sealed record AggregateOrder(string? Alias, string? Attribute, bool Descending, LinkEntity? Link);

/// <summary>
/// Groups the joined, filtered rows of an aggregate FetchXML query and computes count, countcolumn (distinct), sum,
/// avg, min and max as Dataverse does (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data):
/// null values are not considered (count counts rows, countcolumn non-null values); a group whose values are all null
/// sums to 0 (the page's example) and has no average, minimum or maximum (the column is left out, as null columns
/// are). Each result row carries its values as <see cref="AliasedValue"/>s keyed by alias.
/// </summary>
internal sealed class Aggregation
{
    private readonly DataverseOrg _org;
    private readonly AggregateSpec _spec;
    private readonly FiscalCalendar _fiscal;
    private readonly List<(AggregateColumn Spec, QueryNode Node, ColumnMetadata Column)> _columns = new();

    public Aggregation(DataverseOrg org, AggregateSpec spec, FiscalCalendar fiscal, IReadOnlyList<QueryNode> nodes)
    {
        _org = org;
        _spec = spec;
        _fiscal = fiscal;
        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in spec.Columns)
        {
            var node = column.Link is null ? nodes[0] : nodes.First(n => ReferenceEquals(n.Link, column.Link));
            var metadata = node.Table.FindExact(column.Attribute) ?? throw OrgFaults.UnknownColumn(node.Table.LogicalName, column.Attribute);
            if (!aliases.Add(column.Alias))
            {
                throw Invalid($"The alias '{column.Alias}' is used by more than one attribute of the aggregate query.");
            }

            if (column.Function is "sum" or "avg" && metadata.Type is not (ColumnType.Integer or ColumnType.BigInt or ColumnType.Decimal or ColumnType.Double or ColumnType.Money))
            {
                throw Invalid($"The aggregate '{column.Function}' applies to number and currency columns; '{node.Table.LogicalName}.{metadata.LogicalName}' is {metadata.Type}.");
            }

            if (column.Function is "min" or "max" && metadata.Type is not (ColumnType.Integer or ColumnType.BigInt or ColumnType.Decimal or ColumnType.Double or ColumnType.Money or ColumnType.DateTime))
            {
                throw Invalid($"The aggregate '{column.Function}' applies to number, currency and date columns; '{node.Table.LogicalName}.{metadata.LogicalName}' is {metadata.Type}.");
            }

            if (column.DateGrouping is not null && metadata.Type != ColumnType.DateTime)
            {
                throw Invalid($"dategrouping applies to date and time columns; '{node.Table.LogicalName}.{metadata.LogicalName}' is {metadata.Type}.");
            }

            _columns.Add((column, node, metadata));
        }
    }

    /// <summary>One result row per group (a single row without group-bys), ordered as the query asks.</summary>
    public List<Entity> Run(List<Row?[]> rows, string tableName)
    {
        if (rows.Count > _spec.Limit)
        {
            throw OrgFaults.Create(OrgErrorCodes.AggregateQueryRecordLimit, "AggregateQueryRecordLimit exceeded. Cannot perform this operation.");
        }

        var groups = new Dictionary<string, List<Row?[]>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in rows)
        {
            var key = GroupKey(row);
            if (!groups.TryGetValue(key, out var members))
            {
                members = new List<Row?[]>();
                groups[key] = members;
                order.Add(key);
            }

            members.Add(row);
        }

        if (groups.Count == 0 && !_columns.Any(c => c.Spec.GroupBy))
        {
            // Without group-bys an aggregate always answers one row (count 0 over no rows).
            groups[string.Empty] = new List<Row?[]>();
            order.Add(string.Empty);
        }

        var results = order.Select(key => Compute(groups[key], tableName)).ToList();
        var sortKeys = SortKeys();
        results.Sort((a, b) =>
        {
            foreach (var (alias, descending) in sortKeys)
            {
                var c = CompareValues(Raw(a, alias), Raw(b, alias));
                if (c != 0)
                {
                    return descending ? -c : c;
                }
            }

            return 0;
        });
        return results;
    }

    private List<(string Alias, bool Descending)> SortKeys()
    {
        var keys = new List<(string, bool)>();
        foreach (var order in _spec.Orders)
        {
            if (!string.IsNullOrEmpty(order.Alias))
            {
                if (!_columns.Any(c => string.Equals(c.Spec.Alias, order.Alias, StringComparison.OrdinalIgnoreCase)))
                {
                    throw Invalid($"The order alias '{order.Alias}' names no attribute of the aggregate query.");
                }

                keys.Add((order.Alias, order.Descending));
                continue;
            }

            var grouped = _columns.FirstOrDefault(c => c.Spec.GroupBy && ReferenceEquals(c.Spec.Link, order.Link)
                && string.Equals(c.Spec.Attribute, order.Attribute, StringComparison.OrdinalIgnoreCase));
            if (grouped.Spec is null)
            {
                throw Invalid($"An aggregate query orders by the alias of a group-by or aggregate attribute; order attribute='{order.Attribute}' is neither.");
            }

            keys.Add((grouped.Spec.Alias, order.Descending));
        }

        // Without orders, groups come in the order of their group-by values (a stable, documented choice).
        keys.AddRange(_columns.Where(c => c.Spec.GroupBy).Select(c => (c.Spec.Alias, false)));
        return keys;
    }

    private string GroupKey(Row?[] slots)
    {
        var key = new StringBuilder();
        foreach (var (spec, node, column) in _columns)
        {
            if (!spec.GroupBy)
            {
                continue;
            }

            var value = GroupValue(Stored(slots, node, column), spec.DateGrouping);
            key.Append(value switch
            {
                null => "\u0000",
                string text => "s" + LikePattern.RemoveDiacritics(text).ToUpperInvariant(),
                _ => "v" + ValueCodec.ToCookieText(value),
            }).Append('\u001f');
        }

        return key.ToString();
    }

    private static object? Stored(Row?[] slots, QueryNode node, ColumnMetadata column)
    {
        var row = slots[node.Slot];
        return row is null ? null : column.Type == ColumnType.PrimaryKey ? row.Id : row.Get(column.LogicalName);
    }

    /// <summary>A group-by value: the stored value, or the date part a dategrouping picks (string for fiscal periods).</summary>
    private object? GroupValue(object? stored, string? dateGrouping)
    {
        if (dateGrouping is null || stored is not DateTime date)
        {
            return stored;
        }

        return dateGrouping switch
        {
            "day" => date.Day,
            // Sunday-first weeks, week 1 holding 1 January: Learn's example groups 25 March 2023 in week 12 and 27 August 2023 in week 35.
            "week" => CultureInfo.InvariantCulture.Calendar.GetWeekOfYear(date, CalendarWeekRule.FirstDay, DayOfWeek.Sunday),
            "month" => date.Month,
            "quarter" => ((date.Month - 1) / 3) + 1,
            "year" => date.Year,
            "fiscal-period" => _fiscal.PeriodLabel(date),
            _ => _fiscal.YearLabel(date),
        };
    }

    private Entity Compute(List<Row?[]> members, string tableName)
    {
        var entity = new Entity(tableName);
        foreach (var (spec, node, column) in _columns)
        {
            object? value;
            if (spec.GroupBy)
            {
                var stored = members.Count == 0 ? null : Stored(members[0], node, column);
                value = GroupResult(stored, spec.DateGrouping, column, entity, spec.Alias);
            }
            else
            {
                value = Aggregate(spec, column, members.Select(m => Stored(m, node, column)).Where(v => v is not null).Select(v => v!).ToList(), members.Count);
            }

            if (value is not null)
            {
                entity[spec.Alias] = new AliasedValue(node.Table.LogicalName, column.LogicalName, value);
            }
        }

        return entity;
    }

    private object? GroupResult(object? stored, string? dateGrouping, ColumnMetadata column, Entity entity, string alias)
    {
        if (stored is null)
        {
            return null;
        }

        if (dateGrouping is null)
        {
            return ValueCodec.ToSdk(column, stored, _org.NameOf);
        }

        var date = (DateTime)stored;
        switch (dateGrouping)
        {
            case "fiscal-period":
                entity.FormattedValues[alias] = _fiscal.PeriodLabel(date);
                return _fiscal.PeriodOf(date);
            case "fiscal-year":
                entity.FormattedValues[alias] = _fiscal.YearLabel(date);
                return _fiscal.FiscalYearOf(date);
            default:
                return GroupValue(date, dateGrouping);
        }
    }

    private static object? Aggregate(AggregateColumn spec, ColumnMetadata column, List<object> values, int rowCount)
    {
        switch (spec.Function)
        {
            case "count":
                return rowCount;
            case "countcolumn":
                return spec.Distinct ? values.Select(v => ValueCodec.Comparable(v)).Distinct(ValueCodec.KeyComparer).Count() : values.Count;
            case "sum":
                return column.Type == ColumnType.Double
                    ? values.Sum(v => (double)v)
                    : Typed(column, values.Sum(v => Convert.ToDecimal(v, CultureInfo.InvariantCulture)));
            case "avg":
                if (values.Count == 0)
                {
                    return null;
                }

                return column.Type == ColumnType.Double
                    ? values.Average(v => (double)v)
                    : Typed(column, values.Sum(v => Convert.ToDecimal(v, CultureInfo.InvariantCulture)) / values.Count);
            default:
                if (values.Count == 0)
                {
                    return null;
                }

                var best = values[0];
                foreach (var value in values.Skip(1))
                {
                    var c = ValueCodec.Compare(value, best);
                    if (spec.Function == "min" ? c < 0 : c > 0)
                    {
                        best = value;
                    }
                }

                return ValueCodec.ToSdk(column, best, _ => null);
        }
    }

    /// <summary>A sum or average in the column's SDK type: whole numbers truncate, as SQL's integer AVG does.</summary>
    private static object Typed(ColumnMetadata column, decimal value) => column.Type switch
    {
        ColumnType.Integer => (int)decimal.Truncate(value),
        ColumnType.BigInt => (long)decimal.Truncate(value),
        ColumnType.Money => new Money(value),
        _ => value,
    };

    private static object? Raw(Entity entity, string alias)
    {
        var key = entity.Attributes.Keys.FirstOrDefault(k => string.Equals(k, alias, StringComparison.OrdinalIgnoreCase));
        if (key is null)
        {
            return null;
        }

        if (entity.FormattedValues.TryGetValue(key, out var label) && entity[key] is AliasedValue { Value: int })
        {
            // Fiscal groupings order by their label's year, then period ("Quarter 1 FY2023" < "Quarter 2 FY2023" < "Quarter 1 FY2024").
            var year = label[(label.LastIndexOf("FY", StringComparison.Ordinal) + 2)..];
            return year + ((int)((AliasedValue)entity[key]).Value!).ToString("D2", CultureInfo.InvariantCulture);
        }

        return entity[key] is AliasedValue aliased ? aliased.Value : null;
    }

    /// <summary>Ascending with nulls first, as SQL Server orders.</summary>
    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (EntityReference x, EntityReference y) => string.Compare(x.Name ?? x.Id.ToString(), y.Name ?? y.Id.ToString(), StringComparison.OrdinalIgnoreCase),
        (OptionSetValue x, OptionSetValue y) => x.Value.CompareTo(y.Value),
        (Money x, Money y) => x.Value.CompareTo(y.Value),
        _ => ValueCodec.Compare(a, b),
    };

    private static Exception Invalid(string message) => OrgFaults.Create(OrgErrorCodes.InvalidFetchXml, message);
}
