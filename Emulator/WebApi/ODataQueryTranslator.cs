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

    /// <summary>The navigation properties of <c>$expand</c>, in request order.</summary>
    public IReadOnlyList<ParsedExpansion> Expansions { get; init; } = Array.Empty<ParsedExpansion>();
}

/// <summary>
/// One <c>$expand</c> item ("Join tables using OData", learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables):
/// a single-valued navigation property (the row a lookup points to, or null) or a collection-valued one (the rows
/// of another table whose lookup points here), with its nested <c>$select</c> and, for collections, <c>$filter</c>,
/// <c>$orderby</c> and <c>$top</c>.
/// </summary>
internal sealed class ParsedExpansion
{
    public required string Name { get; init; }

    /// <summary>Single-valued: the lookup of the queried table. Null for a collection.</summary>
    public WebApiNavigation? Single { get; init; }

    /// <summary>Collection-valued: the referencing table and its lookup. Null for a single-valued property.</summary>
    public WebApiCollectionNavigation? Collection { get; init; }

    /// <summary>The selected properties of the expanded rows, or null for all columns.</summary>
    public IReadOnlyList<string>? SelectedProperties { get; init; }

    public FilterExpression? Criteria { get; init; }

    public IReadOnlyList<OrderExpression> Orders { get; init; } = Array.Empty<OrderExpression>();

    public int? Top { get; init; }
}

/// <summary>
/// Parses <c>$select</c>, <c>$filter</c>, <c>$orderby</c>, <c>$top</c> and <c>$count</c> with
/// <see cref="ODataQueryOptionParser"/> over the EDM model and turns the parsed tree into a
/// <see cref="QueryExpression"/>: comparisons, <c>and/or/not</c>, <c>contains/startswith/endswith</c>, null tests and
/// lookups through <c>_x_value</c> ("Filter rows", learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows).
/// </summary>
internal static class ODataQueryTranslator
{
    private static readonly string[] Supported = { "$select", "$filter", "$orderby", "$top", "$count", "$expand" };

    public static ParsedQuery Parse(WebApiModel model, WebApiTable table, IReadOnlyDictionary<string, string> query)
    {
        foreach (var key in query.Keys.Where(k => k.StartsWith('$')))
        {
            if (key == "$skip")
            {
                throw WebApiException.BadRequest("The query parameter $skip is not supported.");
            }

            if (key == "$apply" || key == "$search")
            {
                throw WebApiException.BadRequest($"The query option {key} is not supported by the PartnerGuard emulator.");
            }

            if (!Supported.Contains(key, StringComparer.Ordinal) && key != "$skiptoken")
            {
                throw WebApiException.BadRequest($"The query parameter {key} is not supported.");
            }
        }

        // Parameter aliases (@p1=…) travel with the options: "Use parameter aliases with system query options".
        var options = query.Where(p => Supported.Contains(p.Key, StringComparer.Ordinal) || p.Key.StartsWith('@')).ToDictionary(p => p.Key, p => p.Value);
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

            var aliases = parser.ParameterAliasNodes;
            var selected = Selected(table, select);
            var expansions = Expansions(model, table, select, aliases);
            var columns = selected is null
                ? new ColumnSet(true)
                : new ColumnSet(selected.Select(p => table.Properties[p].LogicalName)
                    .Concat(expansions.Where(e => e.Single is not null).Select(e => e.Single!.Column.LogicalName))
                    .Distinct(StringComparer.Ordinal).ToArray());

            FilterExpression? criteria = null;
            if (filter is not null)
            {
                criteria = new FilterExpression(LogicalOperator.And);
                AddTo(criteria, table, filter.Expression, negate: false, aliases);
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
                Expansions = expansions,
            };
        }
        catch (ODataException ex)
        {
            throw WebApiException.BadRequest(QueryFunctionHint(ex.Message) ?? ex.Message);
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
                    break;
                case WildcardSelectItem:
                    return null;
                default:
                    throw WebApiException.BadRequest($"The $select item '{item}' is not supported.");
            }
        }

        return names.Count == 0 ? null : names;
    }

    private static void AddTo(FilterExpression parent, WebApiTable table, SingleValueNode node, bool negate, IDictionary<string, SingleValueNode>? aliases)
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

                AddTo(target, table, logical.Left, negate, aliases);
                AddTo(target, table, logical.Right, negate, aliases);
                return;
            }

            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                AddTo(parent, table, not.Operand, !negate, aliases);
                return;

            case BinaryOperatorNode comparison:
                parent.AddCondition(Comparison(table, comparison, negate));
                return;

            case SingleValueFunctionCallNode call when call.Name.StartsWith(WebApiModel.Namespace + ".", StringComparison.Ordinal):
                parent.AddCondition(QueryFunction(table, call, negate, aliases));
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

    /// <summary>
    /// A Dataverse query function ("Web API Query Function Reference",
    /// learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/queryfunctions): the property is named
    /// by <c>PropertyName</c> (a logical name or a lookup's <c>_x_value</c>), values are strings, and each function
    /// is the QueryExpression condition operator of the same name.
    /// </summary>
    private static ConditionExpression QueryFunction(WebApiTable table, SingleValueFunctionCallNode call, bool negate, IDictionary<string, SingleValueNode>? aliases)
    {
        var name = call.Name[(WebApiModel.Namespace.Length + 1)..];
        var parameters = new Dictionary<string, QueryNode?>(StringComparer.Ordinal);
        foreach (var parameter in call.Parameters)
        {
            if (parameter is NamedFunctionParameterNode named)
            {
                parameters[named.Name] = named.Value is ParameterAliasNode alias
                    ? (aliases is not null && aliases.TryGetValue(alias.Alias, out var aliased) ? aliased : null) ?? throw WebApiException.BadRequest($"The parameter alias {alias.Alias} used by {call.Name} has no value in the query string.")
                    : named.Value;
            }
        }

        var plural = WebApiModel.QueryFunctions.FirstOrDefault(f => f.Name == name).Plural;
        var propertyName = parameters.GetValueOrDefault("PropertyName") is ConstantNode { Value: string text } ? text
            : throw WebApiException.BadRequest($"{call.Name} needs PropertyName as a string literal naming a property of {table.Table.LogicalName}, such as PropertyName='name'.");
        var column = table.Properties.GetValueOrDefault(propertyName)
            ?? table.Table.FindExact(propertyName)
            ?? throw WebApiException.BadRequest($"Could not find a property named '{propertyName}' on type '{WebApiModel.Namespace}.{table.Table.LogicalName}' (the PropertyName of {call.Name}).");

        var valueName = plural ? "PropertyValues" : "PropertyValue";
        var values = parameters.GetValueOrDefault(valueName) switch
        {
            ConstantNode { Value: ODataCollectionValue collection } => collection.Items.Select(ValueText).ToArray(),
            CollectionConstantNode collection => collection.Collection.Select(c => ValueText(c.Value)).ToArray(),
            ConstantNode { Value: not null } constant when !plural => new[] { ValueText(constant.Value) },
            _ => throw WebApiException.BadRequest(plural
                ? $"{call.Name} needs PropertyValues as a list of strings, such as PropertyValues=['value1','value2']."
                : $"{call.Name} needs PropertyValue as a string, such as PropertyValue='value'."),
        };

        if (values.Length == 0 || (name is "Between" or "NotBetween" && values.Length != 2))
        {
            throw WebApiException.BadRequest(name is "Between" or "NotBetween"
                ? $"{call.Name} needs exactly two PropertyValues (low and high), got {values.Length}."
                : $"{call.Name} needs at least one value in {valueName}.");
        }

        var op = (name, negate) switch
        {
            ("In", false) or ("NotIn", true) => ConditionOperator.In,
            ("NotIn", false) or ("In", true) => ConditionOperator.NotIn,
            ("Between", false) or ("NotBetween", true) => ConditionOperator.Between,
            ("NotBetween", false) or ("Between", true) => ConditionOperator.NotBetween,
            ("Under", true) or ("NotUnder", false) => ConditionOperator.NotUnder,
            ("NotUnder", true) => ConditionOperator.Under,
            ("On", true) => ConditionOperator.NotOn,
            ("NotOn", true) => ConditionOperator.On,
            (_, true) => throw WebApiException.BadRequest($"not {call.Name}(…) is not supported by the PartnerGuard emulator; write the opposite condition instead."),
            _ => Enum.Parse<ConditionOperator>(name),
        };

        return new ConditionExpression(column.LogicalName, op, values.Cast<object>().ToArray());
    }

    private static string ValueText(object? value) => value switch
    {
        null => throw WebApiException.BadRequest("A query function value cannot be null; use eq null or ne null instead."),
        string s => s,
        ODataEnumValue e => e.Value,
        DateTimeOffset d => d.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>The parser reports a query function called with the wrong parameters as an unknown function: say what it takes.</summary>
    private static string? QueryFunctionHint(string message)
    {
        foreach (var (name, plural) in WebApiModel.QueryFunctions)
        {
            var qualified = $"{WebApiModel.Namespace}.{name}";
            if (message.Contains($"'{qualified}'", StringComparison.Ordinal))
            {
                var values = plural ? "PropertyValues=['value1','value2']" : "PropertyValue='value'";
                return $"The query function {qualified} takes exactly the parameters PropertyName and {(plural ? "PropertyValues" : "PropertyValue")}: {qualified}(PropertyName='name',{values}). ({message})";
            }
        }

        return null;
    }

    private static IReadOnlyList<ParsedExpansion> Expansions(WebApiModel model, WebApiTable table, SelectExpandClause? clause, IDictionary<string, SingleValueNode>? aliases)
    {
        if (clause is null)
        {
            return Array.Empty<ParsedExpansion>();
        }

        var expansions = new List<ParsedExpansion>();
        foreach (var item in clause.SelectedItems.OfType<ExpandedNavigationSelectItem>())
        {
            var name = ((NavigationPropertySegment)item.PathToNavigationProperty.LastSegment).NavigationProperty.Name;
            if (item.CountOption is not null || item.SkipOption is not null || item.SearchOption is not null || item.LevelsOption is not null || item.ComputeOption is not null || item.ApplyOption is not null)
            {
                throw WebApiException.BadRequest($"$expand={name}(…) supports $select, $filter, $orderby and $top only in the PartnerGuard emulator.");
            }

            if (item.SelectAndExpand?.SelectedItems.OfType<ExpandedNavigationSelectItem>().Any() == true)
            {
                throw WebApiException.BadRequest($"A nested $expand inside $expand={name}(…) is not supported by the PartnerGuard emulator.");
            }

            if (table.Navigations.TryGetValue(name, out var single))
            {
                if (item.FilterOption is not null || item.OrderByOption is not null || item.TopOption is not null)
                {
                    // "Join tables using OData": $filter, $orderby and $top apply to collection-valued navigation properties only.
                    throw WebApiException.BadRequest($"$filter, $orderby and $top cannot be used in $expand of the single-valued navigation property '{name}'.");
                }

                var target = single.Target is null ? null : model.FindByLogicalName(single.Target);
                expansions.Add(new ParsedExpansion
                {
                    Name = name,
                    Single = single,
                    SelectedProperties = target is null ? null : Selected(target, item.SelectAndExpand),
                });
                continue;
            }

            if (table.CollectionNavigations.TryGetValue(name, out var collection))
            {
                var child = collection.Referencing;
                FilterExpression? criteria = null;
                if (item.FilterOption is not null)
                {
                    criteria = new FilterExpression(LogicalOperator.And);
                    AddTo(criteria, child, item.FilterOption.Expression, negate: false, aliases);
                }

                var orders = new List<OrderExpression>();
                for (var order = item.OrderByOption; order is not null; order = order.ThenBy)
                {
                    var column = ColumnOf(child, order.Expression)
                        ?? throw WebApiException.BadRequest($"$orderby inside $expand={name}(…) supports properties of {child.Table.LogicalName} only.");
                    orders.Add(new OrderExpression(column.LogicalName, order.Direction == OrderByDirection.Descending ? OrderType.Descending : OrderType.Ascending));
                }

                if (item.TopOption is < 0 or > 5000)
                {
                    throw WebApiException.BadRequest($"The $top value {item.TopOption} inside $expand={name}(…) is out of range: it must be between 0 and 5000.");
                }

                expansions.Add(new ParsedExpansion
                {
                    Name = name,
                    Collection = collection,
                    SelectedProperties = Selected(child, item.SelectAndExpand),
                    Criteria = criteria,
                    Orders = orders,
                    Top = (int?)item.TopOption,
                });
                continue;
            }

            throw WebApiException.BadRequest($"The navigation property '{name}' of {table.Table.LogicalName} cannot be expanded by the PartnerGuard emulator.");
        }

        return expansions;
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
