using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;

namespace PartnerGuard.Emulator.Query;

/// <summary>
/// Parses FetchXML into the same QueryExpression model the engine runs, so both query languages share one
/// implementation. Element and attribute names follow the FetchXML schema
/// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference).
/// </summary>
internal static class FetchXmlParser
{
    private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["eq"] = ConditionOperator.Equal,
        ["ne"] = ConditionOperator.NotEqual,
        ["neq"] = ConditionOperator.NotEqual,
        ["null"] = ConditionOperator.Null,
        ["not-null"] = ConditionOperator.NotNull,
        ["in"] = ConditionOperator.In,
        ["not-in"] = ConditionOperator.NotIn,
        ["gt"] = ConditionOperator.GreaterThan,
        ["ge"] = ConditionOperator.GreaterEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["le"] = ConditionOperator.LessEqual,
        ["like"] = ConditionOperator.Like,
        ["not-like"] = ConditionOperator.NotLike,
        ["begins-with"] = ConditionOperator.BeginsWith,
        ["not-begin-with"] = ConditionOperator.DoesNotBeginWith,
        ["ends-with"] = ConditionOperator.EndsWith,
        ["not-end-with"] = ConditionOperator.DoesNotEndWith,
        ["on"] = ConditionOperator.On,
        ["not-on"] = ConditionOperator.NotOn,
        ["on-or-before"] = ConditionOperator.OnOrBefore,
        ["on-or-after"] = ConditionOperator.OnOrAfter,
        ["between"] = ConditionOperator.Between,
        ["not-between"] = ConditionOperator.NotBetween,
        ["under"] = ConditionOperator.Under,
        ["eq-or-under"] = ConditionOperator.UnderOrEqual,
        ["not-under"] = ConditionOperator.NotUnder,
        ["above"] = ConditionOperator.Above,
        ["eq-or-above"] = ConditionOperator.AboveOrEqual,
        ["today"] = ConditionOperator.Today,
        ["yesterday"] = ConditionOperator.Yesterday,
        ["tomorrow"] = ConditionOperator.Tomorrow,
        ["last-seven-days"] = ConditionOperator.Last7Days,
        ["next-seven-days"] = ConditionOperator.Next7Days,
        ["last-x-days"] = ConditionOperator.LastXDays,
        ["next-x-days"] = ConditionOperator.NextXDays,
        ["olderthan-x-days"] = ConditionOperator.OlderThanXDays,
        ["olderthan-x-minutes"] = ConditionOperator.OlderThanXMinutes,
        ["olderthan-x-hours"] = ConditionOperator.OlderThanXHours,
        ["olderthan-x-weeks"] = ConditionOperator.OlderThanXWeeks,
        ["olderthan-x-months"] = ConditionOperator.OlderThanXMonths,
        ["olderthan-x-years"] = ConditionOperator.OlderThanXYears,
        ["this-week"] = ConditionOperator.ThisWeek,
        ["last-week"] = ConditionOperator.LastWeek,
        ["next-week"] = ConditionOperator.NextWeek,
        ["this-month"] = ConditionOperator.ThisMonth,
        ["last-month"] = ConditionOperator.LastMonth,
        ["next-month"] = ConditionOperator.NextMonth,
        ["this-year"] = ConditionOperator.ThisYear,
        ["last-year"] = ConditionOperator.LastYear,
        ["next-year"] = ConditionOperator.NextYear,
        ["last-x-hours"] = ConditionOperator.LastXHours,
        ["next-x-hours"] = ConditionOperator.NextXHours,
        ["last-x-weeks"] = ConditionOperator.LastXWeeks,
        ["next-x-weeks"] = ConditionOperator.NextXWeeks,
        ["last-x-months"] = ConditionOperator.LastXMonths,
        ["next-x-months"] = ConditionOperator.NextXMonths,
        ["last-x-years"] = ConditionOperator.LastXYears,
        ["next-x-years"] = ConditionOperator.NextXYears,
        ["eq-userid"] = ConditionOperator.EqualUserId,
        ["ne-userid"] = ConditionOperator.NotEqualUserId,
        ["eq-userteams"] = ConditionOperator.EqualUserTeams,
        ["eq-useroruserteams"] = ConditionOperator.EqualUserOrUserTeams,
        ["eq-useroruserhierarchy"] = ConditionOperator.EqualUserOrUserHierarchy,
        ["eq-useroruserhierarchyandteams"] = ConditionOperator.EqualUserOrUserHierarchyAndTeams,
        ["eq-businessid"] = ConditionOperator.EqualBusinessId,
        ["ne-businessid"] = ConditionOperator.NotEqualBusinessId,
        ["eq-userlanguage"] = ConditionOperator.EqualUserLanguage,
        ["this-fiscal-year"] = ConditionOperator.ThisFiscalYear,
        ["this-fiscal-period"] = ConditionOperator.ThisFiscalPeriod,
        ["last-fiscal-year"] = ConditionOperator.LastFiscalYear,
        ["last-fiscal-period"] = ConditionOperator.LastFiscalPeriod,
        ["next-fiscal-year"] = ConditionOperator.NextFiscalYear,
        ["next-fiscal-period"] = ConditionOperator.NextFiscalPeriod,
        ["last-x-fiscal-years"] = ConditionOperator.LastXFiscalYears,
        ["last-x-fiscal-periods"] = ConditionOperator.LastXFiscalPeriods,
        ["next-x-fiscal-years"] = ConditionOperator.NextXFiscalYears,
        ["next-x-fiscal-periods"] = ConditionOperator.NextXFiscalPeriods,
        ["in-fiscal-year"] = ConditionOperator.InFiscalYear,
        ["in-fiscal-period"] = ConditionOperator.InFiscalPeriod,
        ["in-fiscal-period-and-year"] = ConditionOperator.InFiscalPeriodAndYear,
        ["in-or-before-fiscal-period-and-year"] = ConditionOperator.InOrBeforeFiscalPeriodAndYear,
        ["in-or-after-fiscal-period-and-year"] = ConditionOperator.InOrAfterFiscalPeriodAndYear,
        ["contain-values"] = ConditionOperator.ContainValues,
        ["not-contain-values"] = ConditionOperator.DoesNotContainValues,
    };

    private static readonly Dictionary<string, JoinOperator> LinkTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["inner"] = JoinOperator.Inner,
        ["outer"] = JoinOperator.LeftOuter,
        ["natural"] = JoinOperator.Natural,
        ["exists"] = JoinOperator.Exists,
        ["in"] = JoinOperator.In,
        ["any"] = JoinOperator.Any,
        ["not any"] = JoinOperator.NotAny,
    };

    /// <summary>The table a FetchXML query reads (for the pipeline's PrimaryEntityName).</summary>
    public static string EntityNameOf(string? fetchXml) => EntityElement(Load(fetchXml)).Attribute("name")!.Value;

    /// <summary>
    /// The query FetchXML describes, its aggregation when <c>aggregate="true"</c> (else null), and whether
    /// <c>useraworderby="true"</c> asks to order lookup and choice columns by their stored id and number.
    /// </summary>
    public static (QueryExpression Query, AggregateSpec? Aggregate, bool UseRawOrderBy) Parse(string? fetchXml, MetadataCatalog metadata)
    {
        var fetch = Load(fetchXml);
        var entity = EntityElement(fetch);
        var query = new QueryExpression(Required(entity, "name"))
        {
            Distinct = Bool(fetch, "distinct"),
            NoLock = Bool(fetch, "no-lock"),
        };
        var table = metadata.GetExact(query.EntityName);

        AggregateSpec? aggregate = null;
        if (Bool(fetch, "aggregate"))
        {
            // "The per query limit can't exceed default aggregate limit": a larger aggregatelimit keeps the default.
            aggregate = new AggregateSpec { Limit = Math.Min(Int(fetch, "aggregatelimit") ?? AggregateSpec.MaxRecords, AggregateSpec.MaxRecords) };
        }

        if (Int(fetch, "top") is int top)
        {
            query.TopCount = top;
        }

        var count = Int(fetch, "count");
        var page = Int(fetch, "page");
        var cookie = fetch.Attribute("paging-cookie")?.Value;
        if (count is not null || page is not null || cookie is not null || Bool(fetch, "returntotalrecordcount"))
        {
            query.PageInfo = new PagingInfo
            {
                Count = count ?? 0,
                PageNumber = page ?? 1,
                PagingCookie = cookie,
                ReturnTotalRecordCount = Bool(fetch, "returntotalrecordcount"),
            };
        }

        ReadEntityChildren(entity, table, metadata, query.ColumnSet, query.Criteria, query.Orders, query.LinkEntities, isRoot: true, aggregate, link: null);
        if (aggregate is not null && aggregate.Columns.Count == 0)
        {
            throw Invalid("An aggregate FetchXML query needs at least one <attribute> with an 'aggregate' or 'groupby' attribute.");
        }

        return (query, aggregate, Bool(fetch, "useraworderby"));
    }

    private static void ReadEntityChildren(XElement element, TableMetadata table, MetadataCatalog metadata, ColumnSet columns,
        FilterExpression criteria, Microsoft.Xrm.Sdk.DataCollection<OrderExpression> orders,
        Microsoft.Xrm.Sdk.DataCollection<LinkEntity> links, bool isRoot, AggregateSpec? aggregate, LinkEntity? link)
    {
        var sawAttribute = false;
        foreach (var child in element.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "attribute":
                    sawAttribute = true;
                    if (aggregate is not null)
                    {
                        aggregate.Columns.Add(ReadAggregateAttribute(child, link));
                        break;
                    }

                    if (child.Attribute("aggregate") is not null || child.Attribute("groupby") is not null)
                    {
                        throw Invalid($"The attribute '{child.Attribute("name")?.Value}' has an 'aggregate' or 'groupby' attribute, which needs aggregate='true' on <fetch>.");
                    }

                    if (!columns.AllColumns)
                    {
                        columns.AddColumn(Required(child, "name"));
                    }

                    break;
                case "all-attributes":
                    if (aggregate is not null)
                    {
                        throw Invalid("<all-attributes> cannot be used in an aggregate query; name each attribute with an aggregate or groupby.");
                    }

                    sawAttribute = true;
                    columns.AllColumns = true;
                    break;
                case "order" when aggregate is not null:
                    aggregate.Orders.Add(new AggregateOrder(child.Attribute("alias")?.Value, child.Attribute("attribute")?.Value, Bool(child, "descending"), link));
                    break;
                case "order":
                    var order = new OrderExpression(Required(child, "attribute"), Bool(child, "descending") ? OrderType.Descending : OrderType.Ascending);
                    if (child.Attribute("entityname")?.Value is { } orderEntity)
                    {
                        order.EntityName = orderEntity;
                    }

                    orders.Add(order);
                    break;
                case "filter":
                    criteria.AddFilter(ReadFilter(child));
                    break;
                case "link-entity":
                    links.Add(ReadLink(child, table, metadata, aggregate));
                    break;
                default:
                    throw Invalid($"The element <{child.Name.LocalName}> is not valid inside <{element.Name.LocalName}>.");
            }
        }

        if (isRoot && !sawAttribute)
        {
            // A FetchXML entity with no attribute elements returns every column.
            columns.AllColumns = true;
        }
    }

    private static LinkEntity ReadLink(XElement element, TableMetadata parent, MetadataCatalog metadata, AggregateSpec? aggregate)
    {
        var name = Required(element, "name");
        var table = metadata.GetExact(name);
        var linkType = element.Attribute("link-type")?.Value ?? "inner";
        if (!LinkTypes.TryGetValue(linkType, out var join))
        {
            throw Invalid($"The link-type '{linkType}' on <link-entity name=\"{name}\"> is not supported (inner, outer, natural, exists, in, any, not any).");
        }

        // FetchXML: 'from' is the column of the linked table, 'to' the column of the parent.
        var link = new LinkEntity(parent.LogicalName, table.LogicalName, Required(element, "to"), Required(element, "from"), join)
        {
            EntityAlias = element.Attribute("alias")?.Value,
            Columns = new ColumnSet(),
        };
        ReadEntityChildren(element, table, metadata, link.Columns, link.LinkCriteria, link.Orders, link.LinkEntities, isRoot: false, aggregate, link);
        return link;
    }

    private static AggregateColumn ReadAggregateAttribute(XElement element, LinkEntity? link)
    {
        var name = Required(element, "name");
        var function = element.Attribute("aggregate")?.Value?.ToLowerInvariant();
        var groupBy = Bool(element, "groupby");
        if (function is null == !groupBy)
        {
            throw Invalid($"In an aggregate query every <attribute> needs either an 'aggregate' or groupby='true'; '{name}' has {(groupBy ? "both" : "neither")}.");
        }

        if (function is not null && function is not ("count" or "countcolumn" or "sum" or "avg" or "min" or "max"))
        {
            throw Invalid($"The aggregate function '{function}' on '{name}' is not valid (count, countcolumn, sum, avg, min, max).");
        }

        var alias = element.Attribute("alias")?.Value;
        if (function is not null && string.IsNullOrEmpty(alias))
        {
            // "Set the alias attribute for each attribute element" (Learn, "Aggregate data using FetchXml").
            throw Invalid($"The aggregate attribute '{name}' ({function}) needs an 'alias'.");
        }

        var dateGrouping = element.Attribute("dategrouping")?.Value?.ToLowerInvariant();
        if (dateGrouping is not null && (!groupBy || dateGrouping is not ("day" or "week" or "month" or "quarter" or "year" or "fiscal-period" or "fiscal-year")))
        {
            throw Invalid($"dategrouping='{dateGrouping}' on '{name}' is not valid: it needs groupby='true' and one of day, week, month, quarter, year, fiscal-period, fiscal-year.");
        }

        return new AggregateColumn(link, name, string.IsNullOrEmpty(alias) ? name : alias, function, groupBy, dateGrouping, Bool(element, "distinct"));
    }

    private static FilterExpression ReadFilter(XElement element)
    {
        var type = element.Attribute("type")?.Value ?? "and";
        var filter = new FilterExpression(type.Equals("or", StringComparison.OrdinalIgnoreCase) ? LogicalOperator.Or
            : type.Equals("and", StringComparison.OrdinalIgnoreCase) ? LogicalOperator.And
            : throw Invalid($"The filter type '{type}' is not valid (and, or)."));
        foreach (var child in element.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "condition":
                    filter.AddCondition(ReadCondition(child));
                    break;
                case "filter":
                    filter.AddFilter(ReadFilter(child));
                    break;
                default:
                    throw Invalid($"The element <{child.Name.LocalName}> is not valid inside <filter>.");
            }
        }

        return filter;
    }

    private static ConditionExpression ReadCondition(XElement element)
    {
        var attribute = Required(element, "attribute");
        var operatorText = Required(element, "operator");
        if (!Operators.TryGetValue(operatorText, out var op))
        {
            throw OrgFaults.Create(OrgErrorCodes.InvalidOperatorCode,
                $"The FetchXML condition operator '{operatorText}' on attribute '{attribute}' is not valid or not supported by the PartnerGuard emulator.");
        }

        var condition = new ConditionExpression { AttributeName = attribute, Operator = op };
        if (element.Attribute("entityname")?.Value is { } entityName)
        {
            condition.EntityName = entityName;
        }

        if (element.Attribute("valueof")?.Value is { } valueOf)
        {
            condition.CompareColumns = true;
            condition.Values.Add(valueOf);
            return condition;
        }

        if (element.Attribute("value")?.Value is { } value)
        {
            condition.Values.Add(value);
        }

        foreach (var child in element.Elements())
        {
            if (child.Name.LocalName != "value")
            {
                throw Invalid($"The element <{child.Name.LocalName}> is not valid inside <condition attribute=\"{attribute}\">.");
            }

            condition.Values.Add(child.Value);
        }

        return condition;
    }

    private static XElement Load(string? fetchXml)
    {
        if (string.IsNullOrWhiteSpace(fetchXml))
        {
            throw Invalid("The FetchXML query is empty.");
        }

        try
        {
            var root = XElement.Parse(fetchXml);
            return root.Name.LocalName == "fetch" ? root : throw Invalid($"The FetchXML root element must be <fetch>, not <{root.Name.LocalName}>.");
        }
        catch (XmlException ex)
        {
            throw Invalid($"The FetchXML is not well-formed: {ex.Message}");
        }
    }

    private static XElement EntityElement(XElement fetch)
    {
        var entities = fetch.Elements("entity").ToArray();
        if (entities.Length != 1)
        {
            throw Invalid($"A FetchXML query needs exactly one <entity> element; found {entities.Length}.");
        }

        _ = Required(entities[0], "name");
        return entities[0];
    }

    private static string Required(XElement element, string attribute)
        => element.Attribute(attribute)?.Value is { Length: > 0 } value
            ? value
            : throw Invalid($"The <{element.Name.LocalName}> element needs a '{attribute}' attribute.");

    private static bool Bool(XElement element, string attribute)
        => element.Attribute(attribute)?.Value is { } value
           && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static int? Int(XElement element, string attribute)
    {
        var text = element.Attribute(attribute)?.Value;
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid($"The '{attribute}' attribute of <{element.Name.LocalName}> must be a whole number, not '{text}'.");
    }

    private static Exception Invalid(string message) => OrgFaults.Create(OrgErrorCodes.InvalidFetchXml, message);
}
