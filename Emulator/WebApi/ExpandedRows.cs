using System.Text.Json;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// The related rows of a query's <c>$expand</c>, read with one query per expanded property and chunk of keys (not
/// one per row), and written inline as Dataverse writes them ("Join tables using OData",
/// learn.microsoft.com/power-apps/developer/data-platform/webapi/query/join-tables): a single-valued navigation
/// property as the related row's object or null, a collection-valued one as an array of rows (empty when none).
/// </summary>
internal sealed class ExpandedRows
{
    /// <summary>Keys per <c>In</c> condition: well under the platform's limit on condition values.</summary>
    private const int Chunk = 500;

    private readonly IReadOnlyList<ParsedExpansion> _expansions;
    private readonly WebApiModel _model;
    private readonly Dictionary<ParsedExpansion, Dictionary<(string Table, Guid Id), Entity>> _singles = new();
    private readonly Dictionary<ParsedExpansion, Dictionary<Guid, List<Entity>>> _collections = new();

    private ExpandedRows(WebApiModel model, IReadOnlyList<ParsedExpansion> expansions)
    {
        _model = model;
        _expansions = expansions;
    }

    /// <summary>Reads the related rows of <paramref name="rows"/> through <paramref name="retrieve"/> (a RetrieveMultiple with the caller's privileges).</summary>
    public static ExpandedRows Load(WebApiModel model, IReadOnlyList<ParsedExpansion> expansions, IReadOnlyList<Entity> rows, Func<QueryExpression, EntityCollection> retrieve)
    {
        var expanded = new ExpandedRows(model, expansions);
        foreach (var expansion in expansions)
        {
            if (expansion.Single is { } single)
            {
                expanded._singles[expansion] = LoadSingle(model, expansion, single, rows, retrieve);
            }
            else if (expansion.Collection is { } collection)
            {
                expanded._collections[expansion] = LoadCollection(expansion, collection, rows, retrieve);
            }
        }

        return expanded;
    }

    /// <summary>Writes the expanded properties of <paramref name="row"/> (inside its JSON object).</summary>
    public void Write(Utf8JsonWriter w, EntityJsonWriter writer, Entity row)
    {
        foreach (var expansion in _expansions)
        {
            if (expansion.Single is { } single)
            {
                w.WritePropertyName(expansion.Name);
                if (Reference(row, single) is { } reference
                    && _singles[expansion].TryGetValue((reference.LogicalName, reference.Id), out var related)
                    && _model.FindByLogicalName(reference.LogicalName) is { } target)
                {
                    writer.Write(w, target, related, expansion.SelectedProperties);
                }
                else
                {
                    w.WriteNullValue();
                }
            }
            else if (expansion.Collection is { } collection)
            {
                w.WriteStartArray(expansion.Name);
                if (_collections[expansion].TryGetValue(row.Id, out var children))
                {
                    foreach (var child in children)
                    {
                        writer.Write(w, collection.Referencing, child, expansion.SelectedProperties);
                    }
                }

                w.WriteEndArray();
            }
        }
    }

    private static Dictionary<(string Table, Guid Id), Entity> LoadSingle(
        WebApiModel model, ParsedExpansion expansion, WebApiNavigation single, IReadOnlyList<Entity> rows, Func<QueryExpression, EntityCollection> retrieve)
    {
        var found = new Dictionary<(string Table, Guid Id), Entity>();
        var references = rows.Select(r => Reference(r, single)).OfType<EntityReference>().GroupBy(r => r.LogicalName, StringComparer.OrdinalIgnoreCase);
        foreach (var group in references)
        {
            if (model.FindByLogicalName(group.Key) is not { } target)
            {
                continue;
            }

            var columns = Columns(target, expansion.SelectedProperties, extra: null);
            foreach (var chunk in group.Select(r => r.Id).Distinct().Chunk(Chunk))
            {
                var query = new QueryExpression(target.Table.LogicalName) { ColumnSet = columns };
                query.Criteria.AddCondition(target.Table.PrimaryIdColumn, ConditionOperator.In, chunk.Cast<object>().ToArray());
                foreach (var entity in All(query, retrieve))
                {
                    found[(target.Table.LogicalName, entity.Id)] = entity;
                }
            }
        }

        return found;
    }

    private static Dictionary<Guid, List<Entity>> LoadCollection(
        ParsedExpansion expansion, WebApiCollectionNavigation collection, IReadOnlyList<Entity> rows, Func<QueryExpression, EntityCollection> retrieve)
    {
        var byParent = new Dictionary<Guid, List<Entity>>();
        var child = collection.Referencing;
        var lookup = collection.Column.LogicalName;
        var columns = Columns(child, expansion.SelectedProperties, extra: lookup);
        foreach (var chunk in rows.Select(r => r.Id).Where(id => id != Guid.Empty).Distinct().Chunk(Chunk))
        {
            var query = new QueryExpression(child.Table.LogicalName) { ColumnSet = columns };
            query.Criteria.AddCondition(lookup, ConditionOperator.In, chunk.Cast<object>().ToArray());
            if (expansion.Criteria is not null)
            {
                query.Criteria.AddFilter(expansion.Criteria);
            }

            foreach (var order in expansion.Orders)
            {
                query.Orders.Add(order);
            }

            foreach (var entity in All(query, retrieve))
            {
                if (entity.GetAttributeValue<EntityReference>(lookup) is not { } parent)
                {
                    continue;
                }

                if (!byParent.TryGetValue(parent.Id, out var list))
                {
                    byParent[parent.Id] = list = new List<Entity>();
                }

                // $top applies per parent row: each row's array holds at most that many related rows.
                if (expansion.Top is not int top || list.Count < top)
                {
                    list.Add(entity);
                }
            }
        }

        return byParent;
    }

    private static ColumnSet Columns(WebApiTable table, IReadOnlyList<string>? selected, string? extra)
    {
        if (selected is null)
        {
            return new ColumnSet(true);
        }

        var names = selected.Select(p => table.Properties[p].LogicalName);
        if (extra is not null)
        {
            names = names.Append(extra);
        }

        return new ColumnSet(names.Distinct(StringComparer.Ordinal).ToArray());
    }

    private static IEnumerable<Entity> All(QueryExpression query, Func<QueryExpression, EntityCollection> retrieve)
    {
        query.PageInfo = new PagingInfo { Count = 5000, PageNumber = 1 };
        while (true)
        {
            var page = retrieve(query);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            if (!page.MoreRecords || page.Entities.Count == 0)
            {
                yield break;
            }

            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }
    }

    /// <summary>The row a single-valued navigation property points at; null when the lookup is empty or points at another table than this property's.</summary>
    private static EntityReference? Reference(Entity row, WebApiNavigation single)
        => row.GetAttributeValue<EntityReference>(single.Column.LogicalName) is { } reference
            && (single.Target is null || reference.LogicalName.Equals(single.Target, StringComparison.OrdinalIgnoreCase))
            ? reference
            : null;
}
