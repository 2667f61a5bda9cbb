using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>A collection query's options, parsed by Microsoft.OData.Core and translated for the emulator.</summary>
internal sealed class ParsedQuery
{
    /// <summary>The selected properties in request order, or null for all columns.</summary>
    public IReadOnlyList<string>? SelectedProperties { get; init; }

    public required ColumnSet Columns { get; init; }

    public FilterExpression? Criteria { get; init; }

    public IReadOnlyList<OrderExpression> Orders { get; init; } = Array.Empty<OrderExpression>();

    public int? Top { get; init; }

    public bool Count { get; init; }
}

/// <summary>
/// Parses <c>$select</c>, <c>$filter</c>, <c>$orderby</c>, <c>$top</c> and <c>$count</c> with
/// <see cref="ODataQueryOptionParser"/> over the EDM model and turns the parsed tree into a
/// <see cref="QueryExpression"/>: comparisons, <c>and/or/not</c>, <c>contains/startswith/endswith</c>, null tests and
/// lookups through <c>_x_value</c> ("Filter rows", learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows).
/// </summary>
internal static class ODataQueryTranslator
{
    private static readonly string[] Supported = { "$select", "$filter", "$orderby", "$top", "$count" };

    public static ParsedQuery Parse(WebApiModel model, WebApiTable table, IReadOnlyDictionary<string, string> query)
    {
        foreach (var key in query.Keys.Where(k => k.StartsWith('$')))
        {
            if (key == "$skip")
            {
                throw WebApiException.BadRequest("The query parameter $skip is not supported.");
            }

            if (key == "$expand" || key == "$apply" || key == "$search")
            {
                throw WebApiException.BadRequest($"The query option {key} is not supported by the PartnerGuard emulator.");
            }

            if (!Supported.Contains(key, StringComparer.Ordinal) && key != "$skiptoken")
            {
                throw WebApiException.BadRequest($"The query parameter {key} is not supported.");
            }
        }

        var options = query.Where(p => Supported.Contains(p.Key, StringComparer.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        var parser = new ODataQueryOptionParser(model.Model, table.Type, table.Set, options)
        {
            Resolver = new ODataUriResolver { EnableCaseInsensitive = false },
        };

        try
        {
            var select = parser.ParseSelectAndExpand();
            var filter = parser.ParseFilter();
            var orderBy = parser.ParseOrderBy();
            var top = parser.ParseTop();
            var count = parser.ParseCount();

            var selected = Selected(table, select);
            var columns = selected is null
                ? new ColumnSet(true)
                : new ColumnSet(selected.Select(p => table.Properties[p].LogicalName).Distinct(StringComparer.Ordinal).ToArray());

            FilterExpression? criteria = null;
            if (filter is not null)
            {
                criteria = new FilterExpression(LogicalOperator.And);
                AddTo(criteria, table, filter.Expression, negate: false);
            }

            var orders = new List<OrderExpression>();
            for (var clause = orderBy; clause is not null; clause = clause.ThenBy)
            {
                var column = ColumnOf(table, clause.Expression)
                    ?? throw WebApiException.BadRequest("$orderby supports properties of the queried table only.");
                orders.Add(new OrderExpression(column.LogicalName, clause.Direction == OrderByDirection.Descending ? OrderType.Descending : OrderType.Ascending));
            }

            if (top is < 0 or > 5000)
            {
                throw WebApiException.BadRequest($"The $top value {top} is out of range: it must be between 0 and 5000.");
            }

            return new ParsedQuery
            {
                SelectedProperties = selected,
                Columns = columns,
                Criteria = criteria,
                Orders = orders,
                Top = (int?)top,
                Count = count ?? false,
            };
        }
        catch (ODataException ex)
        {
            throw WebApiException.BadRequest(ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or FormatException or OverflowException or InvalidCastException)
        {
            // The parser rejects some malformed input with framework exceptions: still the client's error.
            throw WebApiException.BadRequest($"The query could not be parsed: {ex.Message}");
        }
    }

    private static IReadOnlyList<string>? Selected(WebApiTable table, SelectExpandClause? clause)
    {
        if (clause is null || clause.AllSelected)
        {
            if (clause?.SelectedItems.OfType<ExpandedNavigationSelectItem>().Any() == true)
            {
                throw WebApiException.BadRequest("The query option $expand is not supported by the PartnerGuard emulator.");
            }

            return null;
        }

        var names = new List<string>();
        foreach (var item in clause.SelectedItems)
        {
            switch (item)
            {
                case PathSelectItem { SelectedPath.LastSegment: PropertySegment property }:
                    names.Add(property.Property.Name);
                    break;
                case PathSelectItem { SelectedPath.LastSegment: NavigationPropertySegment navigation }:
                    throw WebApiException.BadRequest(
                        $"The navigation property '{navigation.NavigationProperty.Name}' cannot be selected; select its lookup property '_{table.Navigations.GetValueOrDefault(navigation.NavigationProperty.Name)?.Column.LogicalName}_value' instead.");
                case ExpandedNavigationSelectItem:
                    throw WebApiException.BadRequest("The query option $expand is not supported by the PartnerGuard emulator.");
                case WildcardSelectItem:
                    return null;
                default:
                    throw WebApiException.BadRequest($"The $select item '{item}' is not supported.");
            }
        }

        return names.Count == 0 ? null : names;
    }

    private static void AddTo(FilterExpression parent, WebApiTable table, SingleValueNode node, bool negate)
    {
        node = Unwrap(node);
        switch (node)
        {
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logical:
            {
                var isAnd = logical.OperatorKind == BinaryOperatorKind.And;
                // De Morgan: not (a and b) = (not a) or (not b).
                var op = isAnd != negate ? LogicalOperator.And : LogicalOperator.Or;
                var target = parent;
                if (parent.FilterOperator != op)
                {
                    target = new FilterExpression(op);
                    parent.AddFilter(target);
                }

                AddTo(target, table, logical.Left, negate);
                AddTo(target, table, logical.Right, negate);
                return;
            }

            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                AddTo(parent, table, not.Operand, !negate);
                return;

            case BinaryOperatorNode comparison:
                parent.AddCondition(Comparison(table, comparison, negate));
                return;

            case SingleValueFunctionCallNode call:
                parent.AddCondition(Function(table, call, negate));
                return;

            case SingleValuePropertyAccessNode property when property.TypeReference?.IsBoolean() == true:
                parent.AddCondition(new ConditionExpression(ColumnOf(table, property)!.LogicalName, negate ? ConditionOperator.NotEqual : ConditionOperator.Equal, true));
                return;

            default:
                throw WebApiException.BadRequest($"The $filter expression '{node.Kind}' is not supported by the PartnerGuard emulator.");
        }
    }

    private static ConditionExpression Comparison(WebApiTable table, BinaryOperatorNode node, bool negate)
    {
        var left = Unwrap(node.Left);
        var right = Unwrap(node.Right);
        var op = node.OperatorKind;
        if (left is ConstantNode && right is not ConstantNode)
        {
            (left, right) = (right, left);
            op = op switch
            {
                BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
                BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
                BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
                BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
                _ => op,
            };
        }

        var column = ColumnOf(table, left)
            ?? throw WebApiException.BadRequest("A $filter comparison must compare a property of the queried table with a literal value.");
        if (right is not ConstantNode constant)
        {
            throw WebApiException.BadRequest($"The $filter comparison on '{PropertyName(left)}' must compare with a literal value.");
        }

        if (constant.Value is null)
        {
            var isNull = op switch
            {
                BinaryOperatorKind.Equal => true,
                BinaryOperatorKind.NotEqual => false,
                _ => throw WebApiException.BadRequest($"null can only be compared with eq or ne (property '{PropertyName(left)}')."),
            };
            return new ConditionExpression(column.LogicalName, isNull != negate ? ConditionOperator.Null : ConditionOperator.NotNull);
        }

        var condition = op switch
        {
            BinaryOperatorKind.Equal => negate ? ConditionOperator.NotEqual : ConditionOperator.Equal,
            BinaryOperatorKind.NotEqual => negate ? ConditionOperator.Equal : ConditionOperator.NotEqual,
            BinaryOperatorKind.GreaterThan => negate ? ConditionOperator.LessEqual : ConditionOperator.GreaterThan,
            BinaryOperatorKind.GreaterThanOrEqual => negate ? ConditionOperator.LessThan : ConditionOperator.GreaterEqual,
            BinaryOperatorKind.LessThan => negate ? ConditionOperator.GreaterEqual : ConditionOperator.LessThan,
            BinaryOperatorKind.LessThanOrEqual => negate ? ConditionOperator.GreaterThan : ConditionOperator.LessEqual,
            _ => throw WebApiException.BadRequest($"The $filter operator '{op}' is not supported by the PartnerGuard emulator."),
        };
        return new ConditionExpression(column.LogicalName, condition, Literal(constant.Value));
    }

    private static ConditionExpression Function(WebApiTable table, SingleValueFunctionCallNode call, bool negate)
    {
        var arguments = call.Parameters.Select(p => p is SingleValueNode single ? Unwrap(single) : null).ToArray();
        if (arguments.Length != 2 || ColumnOf(table, arguments[0]) is not { } column || arguments[1] is not ConstantNode { Value: string text })
        {
            throw WebApiException.BadRequest($"The $filter function '{call.Name}' is supported as {call.Name}(property, 'text') only.");
        }

        // The platform turns these into LIKE patterns; wildcard characters in the text are matched literally.
        var escaped = text.Replace("[", "[[]", StringComparison.Ordinal).Replace("%", "[%]", StringComparison.Ordinal).Replace("_", "[_]", StringComparison.Ordinal);
        return call.Name switch
        {
            "contains" => new ConditionExpression(column.LogicalName, negate ? ConditionOperator.NotLike : ConditionOperator.Like, "%" + escaped + "%"),
            "startswith" => new ConditionExpression(column.LogicalName, negate ? ConditionOperator.NotLike : ConditionOperator.Like, escaped + "%"),
            "endswith" => new ConditionExpression(column.LogicalName, negate ? ConditionOperator.NotLike : ConditionOperator.Like, "%" + escaped),
            _ => throw WebApiException.BadRequest($"The $filter function '{call.Name}' is not supported by the PartnerGuard emulator (supported: contains, startswith, endswith)."),
        };
    }

    private static object Literal(object value) => value switch
    {
        DateTimeOffset offset => offset.UtcDateTime,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        _ => value,
    };

    private static SingleValueNode Unwrap(SingleValueNode node)
    {
        while (node is ConvertNode convert)
        {
            node = convert.Source;
        }

        return node;
    }

    private static ColumnMetadata? ColumnOf(WebApiTable table, SingleValueNode? node)
    {
        node = node is null ? null : Unwrap(node);
        if (node is SingleValuePropertyAccessNode access)
        {
            if (access.Source is not ResourceRangeVariableReferenceNode)
            {
                throw WebApiException.BadRequest(
                    $"Filtering on a related table's property ('{access.Property.Name}' through a navigation property) is not supported by the PartnerGuard emulator; use fetchXml with a link-entity.");
            }

            return table.Properties.GetValueOrDefault(access.Property.Name);
        }

        return null;
    }

    private static string PropertyName(SingleValueNode node) => node is SingleValuePropertyAccessNode access ? access.Property.Name : node.Kind.ToString();
}
