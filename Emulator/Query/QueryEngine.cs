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
/// Runs QueryExpression, QueryByAttribute and FetchXML (parsed into a QueryExpression) over the store:
/// filters, link-entities, orders, Distinct, TopCount and cookie paging.
/// </summary>
internal sealed class QueryEngine
{
    /// <summary>The platform's maximum page size (and default when no page size is given).</summary>
    public const int MaxPageSize = 5000;

    private readonly DataverseOrg _org;
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<string, Node> _aliases = new(StringComparer.OrdinalIgnoreCase);

    public QueryEngine(DataverseOrg org) => _org = org;

    private sealed class Node
    {
        public required int Slot { get; init; }
        public required TableMetadata Table { get; init; }
        public required string Alias { get; init; }
        public Node? Parent { get; init; }
        public LinkEntity? Link { get; init; }
        public ColumnMetadata? FromColumn { get; init; }
        public ColumnMetadata? ToColumn { get; init; }
        public ColumnSet? Columns { get; init; }
        public Func<Row?[], bool>? Criteria { get; set; }
        public Dictionary<object, List<Row>>? Index { get; set; }
    }

    private sealed record SortKey(Node Node, ColumnMetadata? Column, bool Descending);

    public EntityCollection Execute(QueryBase query)
    {
        var expression = query switch
        {
            QueryExpression q => q,
            QueryByAttribute a => FromQueryByAttribute(a),
            FetchExpression f => FetchXmlParser.Parse(f.Query, _org.Metadata),
            null => throw OrgFaults.RequiredParameter("RetrieveMultiple", "Query"),
            _ => throw OrgFaults.InvalidArgument($"Unsupported query type '{query.GetType().Name}'."),
        };
        return Run(expression);
    }

    private static QueryExpression FromQueryByAttribute(QueryByAttribute query)
    {
        if (query.Attributes.Count == 0)
        {
            throw OrgFaults.InvalidArgument($"QueryByAttribute on '{query.EntityName}' must specify at least one attribute.");
        }

        if (query.Attributes.Count != query.Values.Count)
        {
            throw OrgFaults.InvalidArgument(
                $"QueryByAttribute on '{query.EntityName}' has {query.Attributes.Count} attributes but {query.Values.Count} values; they must pair up.");
        }

        var expression = new QueryExpression(query.EntityName)
        {
            ColumnSet = query.ColumnSet ?? new ColumnSet(),
            TopCount = query.TopCount,
            PageInfo = query.PageInfo ?? new PagingInfo(),
        };
        for (var i = 0; i < query.Attributes.Count; i++)
        {
            var value = query.Values[i];
            expression.Criteria.AddCondition(value is null
                ? new ConditionExpression(query.Attributes[i], ConditionOperator.Null)
                : new ConditionExpression(query.Attributes[i], ConditionOperator.Equal, value));
        }

        foreach (var order in query.Orders)
        {
            expression.Orders.Add(order);
        }

        return expression;
    }

    private EntityCollection Run(QueryExpression query)
    {
        var main = new Node { Slot = 0, Table = _org.Metadata.GetExact(query.EntityName), Alias = query.EntityName.ToLowerInvariant(), Columns = query.ColumnSet ?? new ColumnSet() };
        _nodes.Add(main);
        _aliases[main.Alias] = main;
        var linkCounter = 0;
        foreach (var link in query.LinkEntities)
        {
            AddLink(link, main, ref linkCounter);
        }

        ValidateColumns(main);
        foreach (var node in _nodes.Skip(1))
        {
            ValidateColumns(node);
            node.Criteria = node.Link!.LinkCriteria is null ? null : CompileFilter(node.Link.LinkCriteria, node);
        }

        var criteria = query.Criteria is null ? null : CompileFilter(query.Criteria, main);
        var sortKeys = BuildSortKeys(query);

        var paging = query.PageInfo ?? new PagingInfo();
        if (query.TopCount is int top && (top < 0 || top > MaxPageSize))
        {
            throw OrgFaults.InvalidArgument($"TopCount {top} is out of range: it must be between 0 and {MaxPageSize}.");
        }

        if (query.TopCount is not null && (paging.Count > 0 || paging.PageNumber > 1 || !string.IsNullOrEmpty(paging.PagingCookie)))
        {
            throw OrgFaults.InvalidArgument("The TopCount and PageInfo paging of a query cannot be used together; use one or the other.");
        }

        if (paging.Count < 0 || paging.Count > MaxPageSize)
        {
            throw OrgFaults.InvalidArgument($"PagingInfo.Count {paging.Count} is out of range: a page holds at most {MaxPageSize} records.");
        }

        // Scan, join and filter. When the filter pins the primary key to a finite set of ids, only those rows are
        // read (by key); every row read still goes through the whole filter, and the sort keys end with the primary
        // key, so the rows, their order and the paging are the same as a full scan gives.
        var keys = _org.PrimaryKeyLookupEnabled && query.Criteria is not null ? KeyRestriction(query.Criteria, main) : null;
        IEnumerable<Row> candidates = keys is null
            ? _org.Store.Rows(main.Table.LogicalName)
            : keys.Select(id => _org.Store.Find(main.Table.LogicalName, id)).OfType<Row>();
        var results = new List<Row?[]>();
        long examined = 0;
        foreach (var row in candidates)
        {
            examined++;
            var slots = new Row?[_nodes.Count];
            slots[0] = row;
            Expand(slots, 1, criteria, results);
        }

        Interlocked.Add(ref _org.QueryRowsExamined, examined);
        var comparer = new SlotComparer(sortKeys, _nodes.Count);

        // Distinct needs every row sorted and projected; otherwise only the rows of the page are ordered
        // (a bounded heap) and projected, so paging through a large table stays linear per page.
        List<Entity>? projected = null;
        if (query.Distinct)
        {
            results.Sort(comparer);
            (results, projected) = Deduplicate(results, results.Select(Project).ToList());
        }

        var total = results.Count;
        var collection = new EntityCollection { EntityName = main.Table.LogicalName };
        if (query.TopCount is int topCount)
        {
            collection.Entities.AddRange(projected?.Take(topCount) ?? Smallest(results, topCount, comparer).Select(Project));
            collection.MoreRecords = false;
            collection.TotalRecordCount = -1;
            return collection;
        }

        var pageSize = paging.Count > 0 ? paging.Count : MaxPageSize;
        var pageNumber = Math.Max(paging.PageNumber, 1);
        object?[]? last = null;
        if (!string.IsNullOrEmpty(paging.PagingCookie) && pageNumber > 1)
        {
            var cookie = PagingCookie.Parse(paging.PagingCookie);
            if (cookie.Page == pageNumber - 1 && cookie.Last.Count == sortKeys.Count)
            {
                // Page by the cookie's last key, not by offset, so rows written between pages cause no gaps or repeats.
                last = sortKeys.Select((key, i) => ParseCookieValue(key, cookie.Last[i])).ToArray();
            }
        }

        var offset = (int)Math.Min((long)(pageNumber - 1) * pageSize, total);
        List<Row?[]> window;
        List<Entity>? projectedWindow = null;
        if (projected is not null)
        {
            var start = last is null ? offset : FirstAfter(results, comparer, last);
            var length = Math.Min(pageSize + 1, total - start);
            window = results.GetRange(start, length);
            projectedWindow = projected.GetRange(start, length);
        }
        else if (last is not null)
        {
            window = Smallest(results.Where(r => comparer.CompareToKey(r, last) > 0).ToList(), pageSize + 1, comparer);
        }
        else
        {
            window = Smallest(results, (int)Math.Min((long)offset + pageSize + 1, int.MaxValue), comparer).Skip(offset).ToList();
        }

        var count = Math.Min(pageSize, window.Count);
        var pageRows = window.GetRange(0, count);
        collection.Entities.AddRange(projectedWindow?.GetRange(0, count) ?? pageRows.Select(Project));
        collection.MoreRecords = window.Count > pageSize;
        if (pageRows.Count > 0)
        {
            collection.PagingCookie = PagingCookie.Build(pageNumber, comparer.KeyOf(pageRows[0]), comparer.KeyOf(pageRows[^1]));
        }

        if (paging.ReturnTotalRecordCount)
        {
            collection.TotalRecordCount = Math.Min(total, MaxPageSize);
            collection.TotalRecordCountLimitExceeded = total > MaxPageSize;
        }
        else
        {
            collection.TotalRecordCount = -1;
        }

        return collection;
    }

    /// <summary>The k first rows in sort order: a full sort when k is a large share of the rows, else a bounded heap.</summary>
    private static List<Row?[]> Smallest(List<Row?[]> rows, int k, SlotComparer comparer)
    {
        if (k <= 0)
        {
            return new List<Row?[]>();
        }

        if ((long)k * 4 >= rows.Count)
        {
            rows.Sort(comparer);
            return rows.Count <= k ? rows : rows.GetRange(0, k);
        }

        var heap = new PriorityQueue<Row?[], Row?[]>(k + 1, Comparer<Row?[]>.Create((a, b) => comparer.Compare(b, a)));
        foreach (var row in rows)
        {
            if (heap.Count < k)
            {
                heap.Enqueue(row, row);
            }
            else if (comparer.Compare(row, heap.Peek()) < 0)
            {
                heap.DequeueEnqueue(row, row);
            }
        }

        var smallest = new List<Row?[]>(heap.Count);
        while (heap.Count > 0)
        {
            smallest.Add(heap.Dequeue());
        }

        smallest.Reverse();
        return smallest;
    }

    /// <summary>The index of the first sorted row strictly after the key (binary search).</summary>
    private static int FirstAfter(List<Row?[]> sorted, SlotComparer comparer, object?[] key)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (comparer.CompareToKey(sorted[middle], key) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private void AddLink(LinkEntity link, Node parent, ref int counter)
    {
        counter++;
        if (string.IsNullOrEmpty(link.LinkToEntityName) || string.IsNullOrEmpty(link.LinkFromAttributeName) || string.IsNullOrEmpty(link.LinkToAttributeName))
        {
            throw OrgFaults.InvalidArgument("A link-entity needs LinkToEntityName, LinkFromAttributeName and LinkToAttributeName.");
        }

        if (!string.IsNullOrEmpty(link.LinkFromEntityName)
            && !string.Equals(link.LinkFromEntityName, parent.Table.LogicalName, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(link.LinkFromEntityName, parent.Alias, StringComparison.OrdinalIgnoreCase))
        {
            throw OrgFaults.InvalidArgument(
                $"The link-entity to '{link.LinkToEntityName}' says it links from '{link.LinkFromEntityName}', but it is nested under '{parent.Alias}'.");
        }

        var table = _org.Metadata.GetExact(link.LinkToEntityName);
        // Platform alias rule: a link without EntityAlias is named {linkToEntityName}{n}, n counting links in the query.
        var alias = string.IsNullOrEmpty(link.EntityAlias) ? table.LogicalName + counter.ToString(CultureInfo.InvariantCulture) : link.EntityAlias;
        if (_aliases.ContainsKey(alias))
        {
            throw OrgFaults.InvalidArgument($"The alias '{alias}' is used more than once in the query; every link-entity alias must be unique.");
        }

        var node = new Node
        {
            Slot = _nodes.Count,
            Table = table,
            Alias = alias,
            Parent = parent,
            Link = link,
            FromColumn = parent.Table.FindExact(link.LinkFromAttributeName) ?? throw OrgFaults.UnknownColumn(parent.Table.LogicalName, link.LinkFromAttributeName),
            ToColumn = table.FindExact(link.LinkToAttributeName) ?? throw OrgFaults.UnknownColumn(table.LogicalName, link.LinkToAttributeName),
            Columns = link.Columns,
        };
        if (link.JoinOperator is not (JoinOperator.Inner or JoinOperator.LeftOuter or JoinOperator.Natural
            or JoinOperator.Exists or JoinOperator.In or JoinOperator.Any or JoinOperator.NotAny))
        {
            throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                $"The link-entity join operator '{link.JoinOperator}' is not supported by the emulator (supported: Inner, LeftOuter, Natural, Exists, In, Any, NotAny).");
        }

        _nodes.Add(node);
        _aliases[alias] = node;
        foreach (var child in link.LinkEntities)
        {
            AddLink(child, node, ref counter);
        }
    }

    private static bool IsSemiJoin(Node node) => node.Link!.JoinOperator is JoinOperator.Exists or JoinOperator.In or JoinOperator.Any or JoinOperator.NotAny;

    private void ValidateColumns(Node node)
    {
        if (node.Columns is null || node.Columns.AllColumns)
        {
            return;
        }

        foreach (var name in node.Columns.Columns)
        {
            _ = node.Table.FindExact(name) ?? throw OrgFaults.UnknownColumn(node.Table.LogicalName, name);
        }
    }

    private void Expand(Row?[] slots, int index, Func<Row?[], bool>? criteria, List<Row?[]> results)
    {
        if (index == _nodes.Count)
        {
            if (criteria is null || criteria(slots))
            {
                results.Add((Row?[])slots.Clone());
            }

            return;
        }

        var node = _nodes[index];
        var parentRow = slots[node.Parent!.Slot];
        var matched = false;
        if (parentRow is not null)
        {
            foreach (var candidate in Candidates(node, parentRow))
            {
                slots[node.Slot] = candidate;
                if (node.Criteria is not null && !node.Criteria(slots))
                {
                    continue;
                }

                matched = true;
                if (IsSemiJoin(node))
                {
                    break;
                }

                Expand(slots, index + 1, criteria, results);
            }
        }

        slots[node.Slot] = null;
        switch (node.Link!.JoinOperator)
        {
            case JoinOperator.LeftOuter when !matched:
                Expand(slots, index + 1, criteria, results);
                break;
            case JoinOperator.Exists or JoinOperator.In or JoinOperator.Any when matched:
                Expand(slots, index + 1, criteria, results);
                break;
            case JoinOperator.NotAny when !matched:
                Expand(slots, index + 1, criteria, results);
                break;
        }
    }

    private IEnumerable<Row> Candidates(Node node, Row parentRow)
    {
        var key = parentRow.Get(node.FromColumn!.LogicalName) ?? (node.FromColumn.Type == ColumnType.PrimaryKey ? parentRow.Id : null);
        if (key is null)
        {
            return Array.Empty<Row>();
        }

        if (node.ToColumn!.Type == ColumnType.PrimaryKey)
        {
            return ValueCodec.Comparable(key) is Guid id && _org.Store.Find(node.Table.LogicalName, id) is { } row ? new[] { row } : Array.Empty<Row>();
        }

        if (node.Index is null)
        {
            node.Index = new Dictionary<object, List<Row>>(ValueCodec.KeyComparer);
            foreach (var row in _org.Store.Rows(node.Table.LogicalName))
            {
                var value = row.Get(node.ToColumn.LogicalName);
                if (value is null)
                {
                    continue;
                }

                if (!node.Index.TryGetValue(value, out var list))
                {
                    list = new List<Row>();
                    node.Index[value] = list;
                }

                list.Add(row);
            }
        }

        return node.Index.TryGetValue(key, out var rows) ? rows : Array.Empty<Row>();
    }

    private Entity Project(Row?[] slots)
    {
        var main = _nodes[0];
        var entity = _org.ToEntity(main.Table, slots[0]!, main.Columns);
        foreach (var node in _nodes.Skip(1))
        {
            var row = slots[node.Slot];
            if (row is null || node.Columns is null)
            {
                continue;
            }

            IEnumerable<string> names = node.Columns.AllColumns ? row.Values.Keys : node.Columns.Columns;
            foreach (var name in names)
            {
                var column = node.Table.FindColumn(name);
                if (column is null || !row.Values.TryGetValue(column.LogicalName, out var stored))
                {
                    continue;
                }

                entity[$"{node.Alias}.{column.LogicalName}"] = new AliasedValue(node.Table.LogicalName, column.LogicalName, ValueCodec.ToSdk(column, stored, _org.NameOf));
            }
        }

        return entity;
    }

    private static (List<Row?[]>, List<Entity>) Deduplicate(List<Row?[]> rows, List<Entity> entities)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keptRows = new List<Row?[]>();
        var keptEntities = new List<Entity>();
        for (var i = 0; i < entities.Count; i++)
        {
            var signature = new StringBuilder();
            foreach (var pair in entities[i].Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (pair.Key == entities[i].LogicalName + "id")
                {
                    continue;
                }

                signature.Append(pair.Key).Append('=').Append(SignatureOf(pair.Value)).Append('\u001f');
            }

            if (seen.Add(signature.ToString()))
            {
                keptRows.Add(rows[i]);
                keptEntities.Add(entities[i]);
            }
        }

        return (keptRows, keptEntities);
    }

    private static string SignatureOf(object? value) => value switch
    {
        AliasedValue aliased => SignatureOf(aliased.Value),
        EntityReference reference => reference.Id.ToString(),
        Money money => money.Value.ToString(CultureInfo.InvariantCulture),
        OptionSetValue option => option.Value.ToString(CultureInfo.InvariantCulture),
        string text => text.ToUpperInvariant(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };

    private List<SortKey> BuildSortKeys(QueryExpression query)
    {
        var keys = new List<SortKey>();
        foreach (var order in query.Orders)
        {
            var node = string.IsNullOrEmpty(order.EntityName) ? _nodes[0] : ResolveAlias(order.EntityName);
            keys.Add(new SortKey(node, ColumnFor(node, order.AttributeName), order.OrderType == OrderType.Descending));
        }

        foreach (var node in _nodes.Skip(1))
        {
            foreach (var order in node.Link!.Orders)
            {
                keys.Add(new SortKey(node, ColumnFor(node, order.AttributeName), order.OrderType == OrderType.Descending));
            }
        }

        // Tie-breakers: the primary key of the main row, then of each joined row, so order and paging are total.
        foreach (var node in _nodes)
        {
            if (node.Slot == 0 || !IsSemiJoin(node))
            {
                keys.Add(new SortKey(node, null, false));
            }
        }

        return keys;
    }

    private static ColumnMetadata ColumnFor(Node node, string attribute)
        => node.Table.FindExact(attribute) ?? throw OrgFaults.UnknownColumn(node.Table.LogicalName, attribute);

    private Node ResolveAlias(string name)
    {
        if (_aliases.TryGetValue(name, out var node))
        {
            return node;
        }

        var byTable = _nodes.Where(n => string.Equals(n.Table.LogicalName, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (byTable.Length == 1)
        {
            return byTable[0];
        }

        throw OrgFaults.InvalidArgument($"The entity name or alias '{name}' used in a condition or order does not match the query's entity or any link-entity alias.");
    }

    private static object? ParseCookieValue(SortKey key, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var type = key.Column?.Type ?? ColumnType.PrimaryKey;
        try
        {
            return type switch
            {
                ColumnType.String or ColumnType.Memo => text,
                ColumnType.Double => double.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.Integer or ColumnType.BigInt or ColumnType.Decimal or ColumnType.Money
                    or ColumnType.Picklist or ColumnType.State or ColumnType.Status => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                ColumnType.Boolean => text == "1",
                ColumnType.DateTime => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                _ => Guid.Parse(text),
            };
        }
        catch (FormatException)
        {
            throw OrgFaults.InvalidArgument($"The paging cookie holds '{text}', which is not a valid value for '{key.Column?.LogicalName ?? key.Node.Table.PrimaryIdColumn}'.");
        }
    }

    /// <summary>Orders joined rows by the sort keys.</summary>
    private sealed class SlotComparer : IComparer<Row?[]>
    {
        private readonly List<SortKey> _keys;

        public SlotComparer(List<SortKey> keys, int slots)
        {
            _keys = keys;
        }

        public object? ValueOf(Row?[] slots, SortKey key)
        {
            var row = slots[key.Node.Slot];
            if (row is null)
            {
                return null;
            }

            return key.Column is null ? row.Id : row.Get(key.Column.LogicalName) is { } value ? ValueCodec.Comparable(value) : null;
        }

        public object?[] KeyOf(Row?[] slots) => _keys.Select(k => ValueOf(slots, k)).ToArray();

        public int Compare(Row?[]? x, Row?[]? y)
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var result = ValueCodec.CompareNullable(ValueOf(x!, _keys[i]), ValueOf(y!, _keys[i]));
                if (result != 0)
                {
                    return _keys[i].Descending ? -result : result;
                }
            }

            return 0;
        }

        public int CompareToKey(Row?[] slots, object?[] key)
        {
            for (var i = 0; i < _keys.Count; i++)
            {
                var result = ValueCodec.CompareNullable(ValueOf(slots, _keys[i]), key[i]);
                if (result != 0)
                {
                    return _keys[i].Descending ? -result : result;
                }
            }

            return 0;
        }
    }

    // ---- Filters -------------------------------------------------------------------------------------

    private Func<Row?[], bool>? CompileFilter(FilterExpression filter, Node defaultNode)
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
    private HashSet<Guid>? KeyRestriction(FilterExpression filter, Node main)
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

    private HashSet<Guid>? KeyRestriction(ConditionExpression condition, Node main)
    {
        // A primary-key column compares the row's id (see CompileCondition), whatever the column is called.
        if (condition.CompareColumns
            || condition.Operator is not (ConditionOperator.Equal or ConditionOperator.In)
            || (!string.IsNullOrEmpty(condition.EntityName) && ResolveAlias(condition.EntityName) != main)
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

    private Func<Row?[], bool> CompileCondition(ConditionExpression condition, Node defaultNode)
    {
        if (string.IsNullOrEmpty(condition.AttributeName))
        {
            throw OrgFaults.InvalidArgument("A condition has no AttributeName.");
        }

        var node = string.IsNullOrEmpty(condition.EntityName) ? defaultNode : ResolveAlias(condition.EntityName);
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

            case ConditionOperator.Today:
            case ConditionOperator.Yesterday:
            case ConditionOperator.Tomorrow:
            {
                RequireDate(column, table, op);
                Values(0);
                var today = _org.Now().Date;
                var day = op == ConditionOperator.Today ? today : op == ConditionOperator.Yesterday ? today.AddDays(-1) : today.AddDays(1);
                return slots => get(slots) is DateTime d && d.Date == day;
            }

            case ConditionOperator.LastXDays:
            case ConditionOperator.NextXDays:
            case ConditionOperator.Last7Days:
            case ConditionOperator.Next7Days:
            case ConditionOperator.OlderThanXDays:
            {
                RequireDate(column, table, op);
                int days;
                if (op is ConditionOperator.Last7Days or ConditionOperator.Next7Days)
                {
                    days = 7;
                }
                else if (raw.Count == 1 && decimal.TryParse(Convert.ToString(raw[0], CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    days = (int)parsed;
                }
                else
                {
                    throw OrgFaults.InvalidArgument($"Condition operator '{op}' on '{table.LogicalName}.{column.LogicalName}' expects one whole number (the number of days).");
                }

                var now = _org.Now();
                return op switch
                {
                    ConditionOperator.LastXDays or ConditionOperator.Last7Days => slots => get(slots) is DateTime d && d >= now.Date.AddDays(-days) && d <= now,
                    ConditionOperator.NextXDays or ConditionOperator.Next7Days => slots => get(slots) is DateTime d && d >= now && d < now.Date.AddDays(days + 1),
                    _ => slots => get(slots) is DateTime d && d < now.Date.AddDays(-days),
                };
            }

            case ConditionOperator.EqualUserId:
            case ConditionOperator.NotEqualUserId:
                throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                    $"The condition operator '{op}' is not supported by the PartnerGuard emulator; compare with the user id explicitly.");

            case ConditionOperator.Under:
            case ConditionOperator.UnderOrEqual:
            case ConditionOperator.NotUnder:
            case ConditionOperator.Above:
            case ConditionOperator.AboveOrEqual:
                return CompileHierarchy(op, node, column, Values(1)[0]);

            default:
                throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                    $"The condition operator '{op}' is not supported by the PartnerGuard emulator (on '{table.LogicalName}.{column.LogicalName}').");
        }
    }

    private static void RequireDate(ColumnMetadata column, TableMetadata table, ConditionOperator op)
    {
        if (column.Type != ColumnType.DateTime)
        {
            throw OrgFaults.InvalidArgument($"Condition operator '{op}' applies to date/time columns; '{table.LogicalName}.{column.LogicalName}' is {column.Type}.");
        }
    }

    private Func<Row?[], bool> CompileColumnComparison(ConditionExpression condition, Node node, ColumnMetadata column, Func<Row?[], object?> get, List<object?> raw)
    {
        if (raw.Count != 1 || raw[0] is not string otherName)
        {
            throw OrgFaults.InvalidArgument($"A column comparison on '{node.Table.LogicalName}.{column.LogicalName}' needs exactly one value: the other column's name.");
        }

        var otherNode = node;
        var dot = otherName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            otherNode = ResolveAlias(otherName[..dot]);
            otherName = otherName[(dot + 1)..];
        }

        var other = otherNode.Table.FindExact(otherName) ?? throw OrgFaults.UnknownColumn(otherNode.Table.LogicalName, otherName);
        var otherSlot = otherNode.Slot;
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
        return slots => get(slots) is { } left && slots[otherSlot]?.Get(other.LogicalName) is { } right && test(ValueCodec.Compare(left, right));
    }

    private Func<Row?[], bool> CompileHierarchy(ConditionOperator op, Node node, ColumnMetadata column, object value)
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
