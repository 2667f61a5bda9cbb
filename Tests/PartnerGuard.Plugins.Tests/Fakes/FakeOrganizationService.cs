using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Plugins.Tests.Fakes;

/// <summary>
/// A small, honest organization service for plug-in tests: in-memory rows, every call counted, and a
/// QueryExpression evaluator for exactly what the plug-ins ask (And/Or filters; Equal, In, AboveOrEqual on
/// the account hierarchy; inner and left-outer link-entities returning "alias.column" aliased values;
/// column sets; TopCount). Anything else throws NotSupportedException, so a test never passes by accident
/// on a query the double does not understand. Writes are refused: the plug-ins only read. Rows are added
/// before a test runs the plug-in; reads and the call log are safe from several threads.
/// Platform facts it follows: AboveOrEqual on accountid matches the account and every account above it in
/// the parentaccountid hierarchy (Learn, "Query hierarchical data"); link-entity columns come back as
/// AliasedValue under "alias.column" (Learn, "Join tables using QueryExpression"); string comparisons are
/// case-insensitive as in Dataverse's default collation.
/// </summary>
internal sealed class FakeOrganizationService : IOrganizationService
{
    private readonly Dictionary<string, List<Entity>> _tables = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public int Calls
    {
        get
        {
            lock (_gate)
            {
                return Log.Count;
            }
        }
    }

    /// <summary>One line per call: "RetrieveMultiple account", "Retrieve contact".</summary>
    public List<string> Log { get; } = new();

    /// <summary>Makes a query on the named table fail, as a service fault would.</summary>
    public string? FailQueriesOn { get; set; }

    public Entity Add(Entity row)
    {
        if (!_tables.TryGetValue(row.LogicalName, out var rows))
        {
            rows = new List<Entity>();
            _tables.Add(row.LogicalName, rows);
        }

        rows.Add(row);
        return row;
    }

    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
    {
        lock (_gate)
        {
            Log.Add("Retrieve " + entityName);
        }

        FailIfAsked(entityName);
        var row = Rows(entityName).FirstOrDefault(r => r.Id == id)
            ?? throw new InvalidOperationException(entityName + " With Id = " + id + " Does Not Exist");
        return Project(row, columnSet);
    }

    public EntityCollection RetrieveMultiple(QueryBase query)
    {
        var expression = query as QueryExpression ?? throw new NotSupportedException("The double answers QueryExpression only.");
        lock (_gate)
        {
            Log.Add("RetrieveMultiple " + expression.EntityName);
        }

        FailIfAsked(expression.EntityName);

        var results = new List<Entity>();
        foreach (var row in Rows(expression.EntityName).Where(r => Matches(expression.EntityName, r, expression.Criteria)))
        {
            var projected = Project(row, expression.ColumnSet);
            results.AddRange(Join(row, projected, expression.LinkEntities));
        }

        if (expression.TopCount is int top)
        {
            results = results.Take(top).ToList();
        }

        return new EntityCollection(results) { EntityName = expression.EntityName };
    }

    public Guid Create(Entity entity) => throw new NotSupportedException("The plug-ins only read.");

    public void Update(Entity entity) => throw new NotSupportedException("The plug-ins only read.");

    public void Delete(string entityName, Guid id) => throw new NotSupportedException("The plug-ins only read.");

    public OrganizationResponse Execute(OrganizationRequest request) => throw new NotSupportedException("The plug-ins make no requests beyond reads.");

    public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) => throw new NotSupportedException("The plug-ins only read.");

    public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) => throw new NotSupportedException("The plug-ins only read.");

    public IEnumerable<Entity> Rows(string table) => _tables.TryGetValue(table, out var rows) ? rows : Enumerable.Empty<Entity>();

    private void FailIfAsked(string table)
    {
        if (string.Equals(FailQueriesOn, table, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Simulated service fault on " + table + ".");
        }
    }

    private IEnumerable<Entity> Join(Entity source, Entity projected, IEnumerable<LinkEntity> links)
    {
        IEnumerable<Entity> current = new[] { projected };
        foreach (var link in links)
        {
            if (link.LinkEntities.Count > 0 || link.JoinOperator is not (JoinOperator.Inner or JoinOperator.LeftOuter))
            {
                throw new NotSupportedException("The double joins one level, inner or left outer.");
            }

            var alias = link.EntityAlias ?? throw new NotSupportedException("The double needs an EntityAlias on every link.");
            var key = Normalize(source.Attributes.TryGetValue(link.LinkFromAttributeName, out var from) ? from : IdAttribute(source, link.LinkFromAttributeName));
            var matches = key is null
                ? new List<Entity>()
                : Rows(link.LinkToEntityName).Where(r => Equals(Normalize(Value(r, link.LinkToAttributeName)), key) && Matches(link.LinkToEntityName, r, link.LinkCriteria)).ToList();

            if (matches.Count == 0 && link.JoinOperator == JoinOperator.Inner)
            {
                return Enumerable.Empty<Entity>();
            }

            current = matches.Count == 0
                ? current
                : current.SelectMany(row => matches.Select(match => WithAliased(row, match, link, alias))).ToList();
        }

        return current;
    }

    private static Entity WithAliased(Entity row, Entity match, LinkEntity link, string alias)
    {
        var copy = new Entity(row.LogicalName, row.Id);
        foreach (var pair in row.Attributes)
        {
            copy[pair.Key] = pair.Value;
        }

        var columns = link.Columns?.AllColumns == true ? match.Attributes.Select(a => a.Key) : link.Columns?.Columns ?? Enumerable.Empty<string>();
        foreach (var column in columns)
        {
            if (match.Attributes.TryGetValue(column, out var value) && value is not null)
            {
                copy[alias + "." + column] = new AliasedValue(link.LinkToEntityName, column, value);
            }
        }

        return copy;
    }

    private bool Matches(string table, Entity row, FilterExpression? filter)
    {
        if (filter is null || (filter.Conditions.Count == 0 && filter.Filters.Count == 0))
        {
            return true;
        }

        var results = filter.Conditions.Select(c => Matches(table, row, c)).Concat(filter.Filters.Select(f => Matches(table, row, f)));
        return filter.FilterOperator == LogicalOperator.And ? results.All(r => r) : results.Any(r => r);
    }

    private bool Matches(string table, Entity row, ConditionExpression condition)
    {
        if (!string.IsNullOrEmpty(condition.EntityName))
        {
            throw new NotSupportedException("The double evaluates conditions on the primary table only.");
        }

        var actual = Normalize(Value(row, condition.AttributeName));
        var expected = condition.Values.Select(Normalize).ToList();
        switch (condition.Operator)
        {
            case ConditionOperator.Equal:
                return expected.Count == 1 && SameValue(actual, expected[0]);
            case ConditionOperator.In:
                return expected.Any(e => SameValue(actual, e));
            case ConditionOperator.AboveOrEqual:
                if (table != "account" || condition.AttributeName != "accountid" || expected.Count != 1 || expected[0] is not Guid start)
                {
                    throw new NotSupportedException("The double supports AboveOrEqual on accountid only.");
                }

                return actual is Guid id && AccountAndAncestors(start).Contains(id);
            default:
                throw new NotSupportedException("The double does not evaluate " + condition.Operator + ".");
        }
    }

    private HashSet<Guid> AccountAndAncestors(Guid start)
    {
        var seen = new HashSet<Guid>();
        Guid? current = start;
        while (current is Guid id && seen.Add(id))
        {
            var row = Rows("account").FirstOrDefault(r => r.Id == id);
            current = row?.GetAttributeValue<EntityReference>("parentaccountid")?.Id;
        }

        return seen;
    }

    private static object? Value(Entity row, string attribute) =>
        row.Attributes.TryGetValue(attribute, out var value) ? value : IdAttribute(row, attribute);

    private static object? IdAttribute(Entity row, string attribute) =>
        attribute == row.LogicalName + "id" ? row.Id : null;

    private static object? Normalize(object? value) => value switch
    {
        AliasedValue aliased => Normalize(aliased.Value),
        EntityReference reference => reference.Id,
        OptionSetValue option => option.Value,
        Money money => money.Value,
        _ => value,
    };

    private static bool SameValue(object? actual, object? expected) =>
        actual is string left && expected is string right
            ? string.Equals(left, right, StringComparison.OrdinalIgnoreCase)
            : Equals(actual, expected);

    private static Entity Project(Entity row, ColumnSet? columns)
    {
        var copy = new Entity(row.LogicalName, row.Id);
        var names = columns is null || columns.AllColumns ? row.Attributes.Select(a => a.Key) : columns.Columns;
        foreach (var name in names)
        {
            if (row.Attributes.TryGetValue(name, out var value))
            {
                copy[name] = value;
            }
            else if (IdAttribute(row, name) is Guid id)
            {
                copy[name] = id;
            }
        }

        return copy;
    }
}
