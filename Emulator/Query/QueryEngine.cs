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
/// Plans and runs QueryExpression, QueryByAttribute and FetchXML (parsed into a QueryExpression) over the store:
/// builds the join plan (<see cref="QueryNode"/>s for the main table and link-entities), then filters (compiled by
/// <see cref="FilterCompiler"/>), joins, orders (<see cref="SlotComparer"/>), Distinct, TopCount and pages
/// (<see cref="QueryPaging"/>, <see cref="PagingCookie"/>).
/// </summary>
internal sealed class QueryEngine
{
    /// <summary>The platform's maximum page size (and default when no page size is given).</summary>
    public const int MaxPageSize = 5000;

    private readonly DataverseOrg _org;
    private readonly List<QueryNode> _nodes = new();
    private readonly Dictionary<string, QueryNode> _aliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly FilterCompiler _filters;
    private readonly Func<TableMetadata, Func<Row, bool>?>? _readable;
    private bool _choicesByValue;
    private bool _useRawOrderBy;

    /// <param name="org">The org whose store the query reads.</param>
    /// <param name="callerId">The calling user, for the user-relative operators (eq-userid, eq-userteams, eq-businessid, …).</param>
    /// <param name="readable">
    /// For each table of the query (main and linked), the rows the caller may read (the security model's filter: null =
    /// all; it throws when the caller may read none of the table). Rows it leaves out are neither returned nor joined.
    /// </param>
    /// <param name="choicesByValue">
    /// True for the Web API's <c>$orderby</c>, which orders a choice column by its number; FetchXML and QueryExpression
    /// order it by its label (see <see cref="SortByFor"/>).
    /// </param>
    public QueryEngine(DataverseOrg org, Guid callerId, Func<TableMetadata, Func<Row, bool>?>? readable = null, bool choicesByValue = false)
    {
        _org = org;
        _filters = new FilterCompiler(org, ResolveAlias, callerId);
        _readable = readable;
        _choicesByValue = choicesByValue;
    }

    public EntityCollection Execute(QueryBase query)
    {
        var expression = query switch
        {
            QueryExpression q => q,
            QueryByAttribute a => FromQueryByAttribute(a),
            FetchExpression => null,
            null => throw OrgFaults.RequiredParameter("RetrieveMultiple", "Query"),
            _ => throw OrgFaults.InvalidArgument($"Unsupported query type '{query.GetType().Name}'."),
        };
        if (expression is not null)
        {
            return Run(expression);
        }

        var (fetchQuery, aggregate, useRawOrderBy) = FetchXmlParser.Parse(((FetchExpression)query).Query, _org.Metadata);
        // A FetchXML query orders choices by label even when it comes through the Web API (fetchXml=).
        _useRawOrderBy = useRawOrderBy;
        _choicesByValue = false;
        return aggregate is null ? Run(fetchQuery) : RunAggregate(fetchQuery, aggregate);
    }

    /// <summary>An aggregate FetchXML query: every matching row is grouped and aggregated; top/count/page apply to the groups.</summary>
    private EntityCollection RunAggregate(QueryExpression query, AggregateSpec spec)
    {
        var (main, criteria) = Plan(query);
        var aggregation = new Aggregation(_org, spec, _org.Fiscal, _nodes);
        var groups = aggregation.Run(Scan(query, main, criteria), main.Table.LogicalName);
        var collection = new EntityCollection { EntityName = main.Table.LogicalName, TotalRecordCount = -1 };
        var paging = query.PageInfo ?? new PagingInfo();
        var pageSize = query.TopCount ?? (paging.Count > 0 ? paging.Count : MaxPageSize);
        var skip = query.TopCount is null ? (long)(Math.Max(paging.PageNumber, 1) - 1) * pageSize : 0;
        collection.Entities.AddRange(groups.Skip((int)Math.Min(skip, groups.Count)).Take(pageSize));
        collection.MoreRecords = query.TopCount is null && skip + pageSize < groups.Count;
        return collection;
    }

    /// <summary>Builds the join plan (nodes, link criteria) and compiles the main criteria.</summary>
    private (QueryNode Main, Func<Row?[], bool>? Criteria) Plan(QueryExpression query)
    {
        var main = new QueryNode { Slot = 0, Table = _org.Metadata.GetExact(query.EntityName), Alias = query.EntityName.ToLowerInvariant(), Columns = query.ColumnSet ?? new ColumnSet() };
        _nodes.Add(main);
        _aliases[main.Alias] = main;
        var linkCounter = 0;
        foreach (var link in query.LinkEntities)
        {
            AddLink(link, main, ref linkCounter);
        }

        ValidateColumns(main);
        foreach (var node in _nodes)
        {
            node.Readable = _readable?.Invoke(node.Table);
        }

        foreach (var node in _nodes.Skip(1))
        {
            ValidateColumns(node);
            node.Criteria = node.Link!.LinkCriteria is null ? null : _filters.CompileFilter(node.Link.LinkCriteria, node);
        }

        return (main, query.Criteria is null ? null : _filters.CompileFilter(query.Criteria, main));
    }

    /// <summary>
    /// Scans, joins and filters. When the filter pins the primary key to a finite set of ids, only those rows are
    /// read (by key); every row read still goes through the whole filter, and the sort keys end with the primary
    /// key, so the rows, their order and the paging are the same as a full scan gives.
    /// </summary>
    private List<Row?[]> Scan(QueryExpression query, QueryNode main, Func<Row?[], bool>? criteria)
    {
        var keys = _org.Options.UsePrimaryKeyLookup && query.Criteria is not null ? _filters.KeyRestriction(query.Criteria, main) : null;
        IEnumerable<Row> candidates = keys is null
            ? _org.Store.Rows(main.Table.LogicalName)
            : keys.Select(id => _org.Store.Find(main.Table.LogicalName, id)).OfType<Row>();
        var results = new List<Row?[]>();
        long examined = 0;
        foreach (var row in candidates)
        {
            examined++;
            if (main.Readable is not null && !main.Readable(row))
            {
                continue;
            }

            var slots = new Row?[_nodes.Count];
            slots[0] = row;
            Expand(slots, 1, criteria, results);
        }

        _org.Statistics.AddQueryRowsExamined(examined);
        return results;
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
        var (main, criteria) = Plan(query);
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

        var results = Scan(query, main, criteria);
        var comparer = new SlotComparer(sortKeys, _org.NameOf);

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
            collection.Entities.AddRange(projected?.Take(topCount) ?? QueryPaging.Smallest(results, topCount, comparer).Select(Project));
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
                last = sortKeys.Select((key, i) => QueryPaging.ParseCookieValue(key, cookie.Last[i])).ToArray();
            }
        }

        var offset = (int)Math.Min((long)(pageNumber - 1) * pageSize, total);
        List<Row?[]> window;
        List<Entity>? projectedWindow = null;
        if (projected is not null)
        {
            var start = last is null ? offset : QueryPaging.FirstAfter(results, comparer, last);
            var length = Math.Min(pageSize + 1, total - start);
            window = results.GetRange(start, length);
            projectedWindow = projected.GetRange(start, length);
        }
        else if (last is not null)
        {
            window = QueryPaging.Smallest(results.Where(r => comparer.CompareToKey(r, last) > 0).ToList(), pageSize + 1, comparer);
        }
        else
        {
            window = QueryPaging.Smallest(results, (int)Math.Min((long)offset + pageSize + 1, int.MaxValue), comparer).Skip(offset).ToList();
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

    private void AddLink(LinkEntity link, QueryNode parent, ref int counter)
    {
        counter++;
        if (string.IsNullOrEmpty(link.LinkToEntityName) || string.IsNullOrEmpty(link.LinkFromAttributeName) || string.IsNullOrEmpty(link.LinkToAttributeName))
        {
            throw OrgFaults.InvalidArgument("A link-entity needs LinkToEntityName, LinkFromAttributeName and LinkToAttributeName.");
        }

        // A nested link joins from its parent link, whatever LinkFromEntityName says: the official SDK's
        // LinkEntity.AddLink gives the child the parent's own LinkFromEntityName (checked against Microsoft.Xrm.Sdk
        // 9.0.2.56, see XrmSdk/README.md), so only a top-level link's LinkFromEntityName is checked.
        if (parent.Link is null
            && !string.IsNullOrEmpty(link.LinkFromEntityName)
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

        var node = new QueryNode
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

    private static bool IsSemiJoin(QueryNode node) => node.Link!.JoinOperator is JoinOperator.Exists or JoinOperator.In or JoinOperator.Any or JoinOperator.NotAny;

    private void ValidateColumns(QueryNode node)
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
                if (node.Readable is not null && !node.Readable(candidate))
                {
                    continue;
                }

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

    private IEnumerable<Row> Candidates(QueryNode node, Row parentRow)
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
            keys.Add(KeyFor(node, order));
        }

        foreach (var node in _nodes.Skip(1))
        {
            foreach (var order in node.Link!.Orders)
            {
                keys.Add(KeyFor(node, order));
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

    private SortKey KeyFor(QueryNode node, OrderExpression order)
    {
        var column = ColumnFor(node, order.AttributeName);
        return new SortKey(node, column, order.OrderType == OrderType.Descending, SortByFor(column));
    }

    /// <summary>
    /// What Dataverse orders a column by ("Ordering lookup and choice columns" in Learn's "Order rows using FetchXml"
    /// and the Web API's "Order rows"): a lookup by the referenced row's primary name; a choice (choice, state,
    /// status, yes/no) by its label for FetchXML and QueryExpression, by its number for the Web API's $orderby;
    /// FetchXML's <c>useraworderby="true"</c> orders both by the stored id and number.
    /// </summary>
    private SortBy SortByFor(ColumnMetadata column)
    {
        if (_useRawOrderBy)
        {
            return SortBy.Value;
        }

        if (column.IsLookup)
        {
            return SortBy.PrimaryName;
        }

        // A choice whose labels the org does not know (a built-in column the catalog lists without them) keeps its number.
        return (column.IsOptionSet || column.Type == ColumnType.Boolean) && column.OptionLabels.Count > 0 && !_choicesByValue ? SortBy.Label : SortBy.Value;
    }

    private static ColumnMetadata ColumnFor(QueryNode node, string attribute)
        => node.Table.FindExact(attribute) ?? throw OrgFaults.UnknownColumn(node.Table.LogicalName, attribute);

    private QueryNode ResolveAlias(string name)
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

}
