using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator.Query;

/// <summary>
/// Compiles a query's filters into predicates over a joined row (one slot per plan node): conditions, column
/// comparisons, date and hierarchy operators, LIKE; and finds the primary-key restriction a filter implies.
/// </summary>
internal sealed class FilterCompiler
{
    private readonly DataverseOrg _org;
    private readonly Func<string, QueryNode> _resolveAlias;
    private readonly Guid _callerId;

    public FilterCompiler(DataverseOrg org, Func<string, QueryNode> resolveAlias, Guid callerId)
    {
        _org = org;
        _resolveAlias = resolveAlias;
        _callerId = callerId;
    }

    private FiscalCalendar Fiscal => _org.Fiscal;


    public Func<Row?[], bool>? CompileFilter(FilterExpression filter, QueryNode defaultNode)
    {
        var parts = new List<Func<Row?[], bool>>();
        foreach (var condition in filter.Conditions)
        {
            parts.Add(CompileCondition(condition, defaultNode));
        }

        foreach (var child in filter.Filters)
        {
            var compiled = CompileFilter(child, defaultNode);
            if (compiled is not null)
            {
                parts.Add(compiled);
            }
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var array = parts.ToArray();
        return filter.FilterOperator == LogicalOperator.Or
            ? slots => array.Any(p => p(slots))
            : slots => array.All(p => p(slots));
    }

    /// <summary>
    /// The primary-key values a (compiled, hence valid) filter limits the main table's rows to, or null when it
    /// does not: an Equal or In on the primary key, an Or whose every branch is such a limit (the union), an And
    /// with at least one such branch (the intersection). Empty child filters are ignored, as CompileFilter does.
    /// </summary>
    public HashSet<Guid>? KeyRestriction(FilterExpression filter, QueryNode main)
    {
        var sets = new List<HashSet<Guid>?>();
        sets.AddRange(filter.Conditions.Select(condition => KeyRestriction(condition, main)));
        sets.AddRange(filter.Filters.Where(child => !IsEmpty(child)).Select(child => KeyRestriction(child, main)));
        if (sets.Count == 0)
        {
            return null;
        }

        if (filter.FilterOperator == LogicalOperator.Or)
        {
            if (sets.Any(set => set is null))
            {
                return null;
            }

            var union = new HashSet<Guid>();
            foreach (var set in sets)
            {
                union.UnionWith(set!);
            }

            return union;
        }

        HashSet<Guid>? intersection = null;
        foreach (var set in sets.OfType<HashSet<Guid>>())
        {
            if (intersection is null)
            {
                intersection = set;
            }
            else
            {
                intersection.IntersectWith(set);
            }
        }

        return intersection;
    }

    private static bool IsEmpty(FilterExpression filter) => filter.Conditions.Count == 0 && filter.Filters.All(IsEmpty);

    private HashSet<Guid>? KeyRestriction(ConditionExpression condition, QueryNode main)
    {
        // A primary-key column compares the row's id (see CompileCondition), whatever the column is called.
        if (condition.CompareColumns
            || condition.Operator is not (ConditionOperator.Equal or ConditionOperator.In)
            || (!string.IsNullOrEmpty(condition.EntityName) && _resolveAlias(condition.EntityName) != main)
            || main.Table.FindExact(condition.AttributeName) is not { Type: ColumnType.PrimaryKey } column)
        {
            return null;
        }

        var ids = new HashSet<Guid>();
        foreach (var value in Flatten(condition.Values))
        {
            if (ValueCodec.Comparable(ValueCodec.ToQueryValue(main.Table, column, value)) is not Guid id)
            {
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }

    private Func<Row?[], bool> CompileCondition(ConditionExpression condition, QueryNode defaultNode)
    {
        if (string.IsNullOrEmpty(condition.AttributeName))
        {
            throw OrgFaults.InvalidArgument("A condition has no AttributeName.");
        }

        var node = string.IsNullOrEmpty(condition.EntityName) ? defaultNode : _resolveAlias(condition.EntityName);
        var table = node.Table;
        var column = table.FindExact(condition.AttributeName) ?? throw OrgFaults.UnknownColumn(table.LogicalName, condition.AttributeName);
        var slot = node.Slot;
        var raw = Flatten(condition.Values);
        Func<Row?[], object?> get = column.Type == ColumnType.PrimaryKey
            ? slots => slots[slot]?.Id
            : slots => slots[slot]?.Get(column.LogicalName) is { } v ? ValueCodec.Comparable(v) : null;

        if (condition.CompareColumns)
        {
            return CompileColumnComparison(condition, node, column, get, raw);
        }

        object[] Values(int? exactly = null, int atLeast = 0)
        {
            if ((exactly is int n && raw.Count != n) || raw.Count < atLeast)
            {
                throw OrgFaults.InvalidArgument(
                    $"Condition operator '{condition.Operator}' on '{table.LogicalName}.{column.LogicalName}' expects {(exactly is int e ? e.ToString(CultureInfo.InvariantCulture) : "at least " + atLeast.ToString(CultureInfo.InvariantCulture))} value(s), got {raw.Count}.");
            }

            return raw.Select(v => ValueCodec.ToQueryValue(table, column, v)).ToArray();
        }

        int[] WholeNumbers(int count)
        {
            var numbers = new int[raw.Count];
            for (var i = 0; i < raw.Count; i++)
            {
                if (!int.TryParse(Convert.ToString(raw[i], CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    numbers = Array.Empty<int>();
                    break;
                }
            }

            return numbers.Length == count
                ? numbers
                : throw OrgFaults.InvalidArgument($"Condition operator '{condition.Operator}' on '{table.LogicalName}.{column.LogicalName}' expects {count.ToString(CultureInfo.InvariantCulture)} whole number(s), got {raw.Count} value(s).");
        }

        var op = condition.Operator;
        switch (op)
        {
            case ConditionOperator.Null:
                Values(0);
                return slots => get(slots) is null;
            case ConditionOperator.NotNull:
                Values(0);
                return slots => get(slots) is not null;
            case ConditionOperator.Equal:
            case ConditionOperator.NotEqual:
            case ConditionOperator.GreaterThan:
            case ConditionOperator.GreaterEqual:
            case ConditionOperator.LessThan:
            case ConditionOperator.LessEqual:
            {
                var value = Values(1)[0];
                Func<int, bool> test = op switch
                {
                    ConditionOperator.Equal => c => c == 0,
                    ConditionOperator.NotEqual => c => c != 0,
                    ConditionOperator.GreaterThan => c => c > 0,
                    ConditionOperator.GreaterEqual => c => c >= 0,
                    ConditionOperator.LessThan => c => c < 0,
                    _ => c => c <= 0,
                };
                // SQL semantics: a null column matches no comparison, NotEqual included.
                return slots => get(slots) is { } actual && test(ValueCodec.Compare(actual, value));
            }

            case ConditionOperator.In:
            case ConditionOperator.NotIn:
            {
                var set = new HashSet<object>(Values(atLeast: 1), ValueCodec.KeyComparer);
                var negate = op == ConditionOperator.NotIn;
                return slots => get(slots) is { } actual && set.Contains(actual) != negate;
            }

            case ConditionOperator.Between:
            case ConditionOperator.NotBetween:
            {
                var bounds = Values(2);
                var negate = op == ConditionOperator.NotBetween;
                return slots => get(slots) is { } actual
                    && (ValueCodec.Compare(actual, bounds[0]) >= 0 && ValueCodec.Compare(actual, bounds[1]) <= 0) != negate;
            }

            case ConditionOperator.Like:
            case ConditionOperator.NotLike:
            case ConditionOperator.BeginsWith:
            case ConditionOperator.DoesNotBeginWith:
            case ConditionOperator.EndsWith:
            case ConditionOperator.DoesNotEndWith:
            case ConditionOperator.Contains:
            case ConditionOperator.DoesNotContain:
            {
                if (column.Type is not (ColumnType.String or ColumnType.Memo))
                {
                    throw OrgFaults.InvalidArgument(
                        $"Condition operator '{op}' applies to text columns; '{table.LogicalName}.{column.LogicalName}' is {column.Type}.");
                }

                var text = (string)Values(1)[0];
                // BeginsWith/EndsWith/Contains are LIKE 'x%', '%x', '%x%': wildcards in the value keep their meaning.
                var pattern = op switch
                {
                    ConditionOperator.BeginsWith or ConditionOperator.DoesNotBeginWith => text + "%",
                    ConditionOperator.EndsWith or ConditionOperator.DoesNotEndWith => "%" + text,
                    ConditionOperator.Contains or ConditionOperator.DoesNotContain => "%" + text + "%",
                    _ => text,
                };
                var regex = LikePattern.ToRegex(pattern);
                var negate = op is ConditionOperator.NotLike or ConditionOperator.DoesNotBeginWith or ConditionOperator.DoesNotEndWith or ConditionOperator.DoesNotContain;
                return slots => get(slots) is string actual && regex.IsMatch(LikePattern.RemoveDiacritics(actual)) != negate;
            }

            case ConditionOperator.On:
            case ConditionOperator.NotOn:
            case ConditionOperator.OnOrBefore:
            case ConditionOperator.OnOrAfter:
            {
                RequireDate(column, table, op);
                var day = ((DateTime)Values(1)[0]).Date;
                return op switch
                {
                    ConditionOperator.On => slots => get(slots) is DateTime d && d.Date == day,
                    ConditionOperator.NotOn => slots => get(slots) is DateTime d && d.Date != day,
                    ConditionOperator.OnOrBefore => slots => get(slots) is DateTime d && d.Date <= day,
                    _ => slots => get(slots) is DateTime d && d.Date >= day,
                };
            }

            case ConditionOperator.InFiscalYear:
            case ConditionOperator.InFiscalPeriod:
            case ConditionOperator.InFiscalPeriodAndYear:
            case ConditionOperator.InOrBeforeFiscalPeriodAndYear:
            case ConditionOperator.InOrAfterFiscalPeriodAndYear:
                RequireDate(column, table, op);
                return CompileFiscal(op, get, WholeNumbers(op == ConditionOperator.InFiscalYear || op == ConditionOperator.InFiscalPeriod ? 1 : 2));

            case ConditionOperator.EqualUserId:
            case ConditionOperator.NotEqualUserId:
            case ConditionOperator.EqualUserTeams:
            case ConditionOperator.EqualUserOrUserTeams:
            case ConditionOperator.EqualUserOrUserHierarchy:
            case ConditionOperator.EqualUserOrUserHierarchyAndTeams:
            case ConditionOperator.EqualBusinessId:
            case ConditionOperator.NotEqualBusinessId:
            {
                Values(0);
                if (column.Type is not (ColumnType.Lookup or ColumnType.Owner or ColumnType.Customer or ColumnType.UniqueIdentifier or ColumnType.PrimaryKey))
                {
                    throw OrgFaults.InvalidArgument($"Condition operator '{op}' applies to unique identifier and lookup columns; '{table.LogicalName}.{column.LogicalName}' is {column.Type}.");
                }

                var ids = PrincipalIds(op);
                var negate = op is ConditionOperator.NotEqualUserId or ConditionOperator.NotEqualBusinessId;
                return slots => get(slots) is Guid actual && ids.Contains(actual) != negate;
            }

            case ConditionOperator.EqualUserLanguage:
            {
                Values(0);
                if (column.Type is not (ColumnType.Integer or ColumnType.Picklist))
                {
                    throw OrgFaults.InvalidArgument($"Condition operator '{op}' applies to whole-number language columns; '{table.LogicalName}.{column.LogicalName}' is {column.Type}.");
                }

                // Every emulated user's UI language is English (1033).
                return slots => get(slots) is decimal language && language == UserLanguage;
            }

            case ConditionOperator.ContainValues:
            case ConditionOperator.DoesNotContainValues:
                throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                    $"The condition operator '{op}' applies to multi-select choice columns, which the PartnerGuard emulator does not emulate (on '{table.LogicalName}.{column.LogicalName}').");

            case ConditionOperator.Under:
            case ConditionOperator.UnderOrEqual:
            case ConditionOperator.NotUnder:
            case ConditionOperator.Above:
            case ConditionOperator.AboveOrEqual:
                return CompileHierarchy(op, node, column, Values(1)[0]);

            case var _ when RelativeDates.IsRelative(op):
            {
                RequireDate(column, table, op);
                var x = 0;
                if (RelativeDates.TakesCount(op))
                {
                    x = WholeNumbers(1)[0];
                }
                else
                {
                    Values(0);
                }

                var (from, to) = RelativeDates.Range(op, _org.Now(), x, Fiscal);
                return slots => get(slots) is DateTime d && d >= from && d < to;
            }

            default:
                throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                    $"The condition operator '{op}' is not supported by the PartnerGuard emulator (on '{table.LogicalName}.{column.LogicalName}').");
        }
    }

    /// <summary>The UI language (LCID) the emulator assumes for every user.</summary>
    private const decimal UserLanguage = 1033m;

    /// <summary>
    /// The ids a user-relative operator compares with: the calling user; their teams (teammembership); both; the
    /// user's business unit. The emulator has no manager hierarchy (no hierarchy security model), so the
    /// "or user hierarchy" operators see the user (and teams) only.
    /// </summary>
    private HashSet<Guid> PrincipalIds(ConditionOperator op)
    {
        var ids = new HashSet<Guid>();
        if (op is ConditionOperator.EqualBusinessId or ConditionOperator.NotEqualBusinessId)
        {
            if (_org.Store.Find("systemuser", _callerId)?.Get("businessunitid") is LookupValue unit)
            {
                ids.Add(unit.Id);
            }

            return ids;
        }

        if (op is not ConditionOperator.EqualUserTeams)
        {
            ids.Add(_callerId);
        }

        if (op is ConditionOperator.EqualUserTeams or ConditionOperator.EqualUserOrUserTeams or ConditionOperator.EqualUserOrUserHierarchyAndTeams)
        {
            foreach (var membership in _org.Store.Rows("teammembership"))
            {
                if (membership.Get("systemuserid") is { } user && ValueCodec.Comparable(user) is Guid userId && userId == _callerId
                    && membership.Get("teamid") is { } team && ValueCodec.Comparable(team) is Guid teamId)
                {
                    ids.Add(teamId);
                }
            }
        }

        return ids;
    }

    private Func<Row?[], bool> CompileFiscal(ConditionOperator op, Func<Row?[], object?> get, int[] numbers)
    {
        var fiscal = Fiscal;
        if (op == ConditionOperator.InFiscalYear)
        {
            var start = fiscal.YearStart(numbers[0]);
            var end = start.AddYears(1);
            return slots => get(slots) is DateTime d && d >= start && d < end;
        }

        if (op == ConditionOperator.InFiscalPeriod)
        {
            // A period number beyond the year's periods matches nothing (the reference's semester example).
            var period = numbers[0];
            return slots => get(slots) is DateTime d && fiscal.PeriodOf(d) == period;
        }

        var (p, y) = (numbers[0], numbers[1]);
        if (p < 1 || p > fiscal.PeriodsPerYear)
        {
            return _ => false;
        }

        var from = fiscal.PeriodStart(y, p);
        var to = from.AddMonths(fiscal.MonthsPerPeriod);
        return op switch
        {
            ConditionOperator.InFiscalPeriodAndYear => slots => get(slots) is DateTime d && d >= from && d < to,
            ConditionOperator.InOrBeforeFiscalPeriodAndYear => slots => get(slots) is DateTime d && d < to,
            _ => slots => get(slots) is DateTime d && d >= from,
        };
    }

    private static void RequireDate(ColumnMetadata column, TableMetadata table, ConditionOperator op)
    {
        if (column.Type != ColumnType.DateTime)
        {
            throw OrgFaults.InvalidArgument($"Condition operator '{op}' applies to date/time columns; '{table.LogicalName}.{column.LogicalName}' is {column.Type}.");
        }
    }

    private Func<Row?[], bool> CompileColumnComparison(ConditionExpression condition, QueryNode node, ColumnMetadata column, Func<Row?[], object?> get, List<object?> raw)
    {
        if (raw.Count != 1 || raw[0] is not string otherName)
        {
            throw OrgFaults.InvalidArgument($"A column comparison on '{node.Table.LogicalName}.{column.LogicalName}' needs exactly one value: the other column's name.");
        }

        var otherNode = node;
        var dot = otherName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            otherNode = _resolveAlias(otherName[..dot]);
            otherName = otherName[(dot + 1)..];
        }

        var other = otherNode.Table.FindExact(otherName) ?? throw OrgFaults.UnknownColumn(otherNode.Table.LogicalName, otherName);
        if (Family(column.Type) != Family(other.Type))
        {
            // "The columns must be the same type" (Learn, "Filter rows using FetchXml", column comparison limitations).
            throw OrgFaults.InvalidArgument(
                $"A column comparison needs columns of the same type: '{node.Table.LogicalName}.{column.LogicalName}' is {column.Type}, '{otherNode.Table.LogicalName}.{other.LogicalName}' is {other.Type}.");
        }

        var otherSlot = otherNode.Slot;
        Func<Row?[], object?> getOther = other.Type == ColumnType.PrimaryKey
            ? slots => slots[otherSlot]?.Id
            : slots => slots[otherSlot]?.Get(other.LogicalName) is { } v ? ValueCodec.Comparable(v) : null;
        Func<int, bool> test = condition.Operator switch
        {
            ConditionOperator.Equal => c => c == 0,
            ConditionOperator.NotEqual => c => c != 0,
            ConditionOperator.GreaterThan => c => c > 0,
            ConditionOperator.GreaterEqual => c => c >= 0,
            ConditionOperator.LessThan => c => c < 0,
            ConditionOperator.LessEqual => c => c <= 0,
            _ => throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode, $"The operator '{condition.Operator}' cannot compare two columns."),
        };
        return slots => get(slots) is { } left && getOther(slots) is { } right && test(ValueCodec.Compare(left, right));
    }

    /// <summary>Column types that hold the same kind of value (text, number, date, id) for a column comparison.</summary>
    private static int Family(ColumnType type) => type switch
    {
        ColumnType.String or ColumnType.Memo => 0,
        ColumnType.Integer or ColumnType.BigInt or ColumnType.Decimal or ColumnType.Double or ColumnType.Money => 1,
        ColumnType.DateTime => 2,
        ColumnType.Boolean => 3,
        ColumnType.Picklist or ColumnType.State or ColumnType.Status => 4,
        _ => 5,
    };

    private Func<Row?[], bool> CompileHierarchy(ConditionOperator op, QueryNode node, ColumnMetadata column, object value)
    {
        var table = node.Table;
        var parentColumn = table.HierarchyParentColumn
            ?? throw OrgFaults.InvalidArgument($"The condition operator '{op}' needs a hierarchical relationship; '{table.LogicalName}' has none.");
        if (column.Type != ColumnType.PrimaryKey)
        {
            throw OrgFaults.InvalidArgument($"The condition operator '{op}' applies to the primary key '{table.PrimaryIdColumn}' of '{table.LogicalName}', not to '{column.LogicalName}'.");
        }

        var anchor = (Guid)value;
        var rows = _org.Store.ReadTable(table.LogicalName);
        var set = new HashSet<Guid>();
        if (op is ConditionOperator.Under or ConditionOperator.UnderOrEqual or ConditionOperator.NotUnder)
        {
            var children = new Dictionary<Guid, List<Guid>>();
            foreach (var row in rows.Values)
            {
                if (row.Get(parentColumn) is LookupValue parent)
                {
                    if (!children.TryGetValue(parent.Id, out var list))
                    {
                        list = new List<Guid>();
                        children[parent.Id] = list;
                    }

                    list.Add(row.Id);
                }
            }

            var queue = new Queue<Guid>();
            queue.Enqueue(anchor);
            while (queue.Count > 0)
            {
                if (children.TryGetValue(queue.Dequeue(), out var list))
                {
                    foreach (var child in list.Where(set.Add))
                    {
                        queue.Enqueue(child);
                    }
                }
            }

            set.Remove(anchor);
            if (op == ConditionOperator.UnderOrEqual)
            {
                set.Add(anchor);
            }
        }
        else
        {
            var current = rows.TryGetValue(anchor, out var start) ? start : null;
            if (op == ConditionOperator.AboveOrEqual)
            {
                set.Add(anchor);
            }

            while (current?.Get(parentColumn) is LookupValue parent && set.Add(parent.Id))
            {
                current = rows.TryGetValue(parent.Id, out var next) ? next : null;
            }

            if (op == ConditionOperator.Above)
            {
                set.Remove(anchor);
            }
        }

        var slot = node.Slot;
        var negate = op == ConditionOperator.NotUnder;
        return slots => slots[slot] is { } row && set.Contains(row.Id) != negate;
    }

    private static List<object?> Flatten(DataCollection<object> values)
    {
        var list = new List<object?>();
        foreach (var value in values)
        {
            if (value is IEnumerable enumerable and not string)
            {
                foreach (var item in enumerable)
                {
                    list.Add(item);
                }
            }
            else
            {
                list.Add(value);
            }
        }

        return list;
    }
}
