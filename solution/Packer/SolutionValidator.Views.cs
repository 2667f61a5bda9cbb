using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// Entities/*/SavedQueries: every view's FetchXML and grid name only tables and columns that exist, every grid cell is a
/// fetched column, and a table that carries views has the &lt;SavedQueries /&gt; placeholder the packer fills.
/// </summary>
internal sealed partial class SolutionValidator
{
    private void ValidateViews(EntitySource entity)
    {
        if (entity.SavedQueries.Count > 0 && entity.Entity.Root.Element("SavedQueries") is null)
        {
            Problem(entity.Entity, entity.Entity.Root, "the table has views in SavedQueries/ but Entity.xml has no <SavedQueries /> element to carry them");
        }

        foreach (var view in entity.SavedQueries)
        {
            foreach (var query in view.Root.Elements("savedquery"))
            {
                ValidateView(entity, view, query);
            }
        }
    }

    private void ValidateView(EntitySource entity, SourceDocument view, XElement query)
    {
        if (query.Element("LocalizedNames")?.Elements("LocalizedName").Any(n => !string.IsNullOrWhiteSpace((string?)n.Attribute("description"))) != true)
        {
            Problem(view, query, "the view has no <LocalizedNames><LocalizedName description=…> (its name in the view selector)");
        }

        var fetchEntity = query.Element("fetchxml")?.Element("fetch")?.Element("entity");
        if (fetchEntity is null)
        {
            Problem(view, query, "the view has no <fetchxml><fetch><entity>");
            return;
        }

        if (!string.Equals((string?)fetchEntity.Attribute("name"), entity.LogicalName, StringComparison.OrdinalIgnoreCase))
        {
            Problem(view, fetchEntity, $"the view's FetchXML queries '{(string?)fetchEntity.Attribute("name")}' but the view belongs to '{entity.LogicalName}'");
            return;
        }

        // Every column the grid can show: the root's attributes by name, a link-entity's as alias.name.
        var fetched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        CollectAliases(fetchEntity, aliases);
        CheckFetchNode(view, fetchEntity, entity.LogicalName, alias: null, aliases, fetched);

        foreach (var grid in query.Element("layoutxml")?.Elements("grid") ?? [])
        {
            if ((string?)grid.Attribute("jump") is { Length: > 0 } jump && !fetched.Contains(jump))
            {
                Problem(view, grid, $"the grid's jump column '{jump}' is not fetched by the view");
            }

            foreach (var cell in grid.Descendants("cell"))
            {
                var name = (string?)cell.Attribute("name") ?? "";
                if (!fetched.Contains(name))
                {
                    Problem(view, cell, $"the grid column '{name}' is not an attribute of the view's FetchXML (a link-entity's column is written alias.column)");
                }
            }
        }
    }

    private static void CollectAliases(XElement node, Dictionary<string, string> aliases)
    {
        foreach (var link in node.Elements("link-entity"))
        {
            if ((string?)link.Attribute("alias") is { Length: > 0 } alias && (string?)link.Attribute("name") is { } name)
            {
                aliases[alias] = name;
            }

            CollectAliases(link, aliases);
        }
    }

    private void CheckFetchNode(SourceDocument view, XElement node, string table, string? alias, Dictionary<string, string> aliases, HashSet<string> fetched)
    {
        if (ColumnsOf(table) is null)
        {
            Problem(view, node, $"the view queries the table '{table}', which is neither in this solution nor a standard table the packer knows");
            return;
        }

        foreach (var attribute in node.Elements("attribute"))
        {
            var name = (string?)attribute.Attribute("name") ?? "";
            if (CheckColumn(view, attribute, table, name))
            {
                fetched.Add(alias is null ? name : alias + "." + name);
            }
        }

        foreach (var order in node.Elements("order"))
        {
            CheckColumn(view, order, table, (string?)order.Attribute("attribute") ?? "");
        }

        foreach (var condition in node.Elements("filter").DescendantsAndSelf("filter").SelectMany(f => f.Elements("condition")))
        {
            var conditionTable = table;
            if ((string?)condition.Attribute("entityname") is { Length: > 0 } entityName && !aliases.TryGetValue(entityName, out conditionTable!))
            {
                Problem(view, condition, $"the condition names the link-entity alias '{entityName}', which the view does not define");
                continue;
            }

            CheckColumn(view, condition, conditionTable, (string?)condition.Attribute("attribute") ?? "");
            if ((string?)condition.Attribute("valueof") is { Length: > 0 } valueOf)
            {
                var dot = valueOf.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0)
                {
                    CheckColumn(view, condition, conditionTable, valueOf);
                }
                else if (aliases.TryGetValue(valueOf[..dot], out var other))
                {
                    CheckColumn(view, condition, other, valueOf[(dot + 1)..]);
                }
                else
                {
                    Problem(view, condition, $"valueof '{valueOf}' names the alias '{valueOf[..dot]}', which the view does not define");
                }
            }
        }

        foreach (var link in node.Elements("link-entity"))
        {
            var linked = (string?)link.Attribute("name") ?? "";
            CheckColumn(view, link, table, (string?)link.Attribute("to") ?? "");
            if (ColumnsOf(linked) is not null)
            {
                CheckColumn(view, link, linked, (string?)link.Attribute("from") ?? "");
            }

            CheckFetchNode(view, link, linked, (string?)link.Attribute("alias") ?? linked, aliases, fetched);
        }
    }

    /// <summary>True when the column exists on the table; else reports it (views and charts alike).</summary>
    private bool CheckColumn(SourceDocument view, XElement at, string table, string column)
    {
        if (ColumnsOf(table) is { } columns && !columns.Contains(column))
        {
            Problem(view, at, $"the column '{table}.{column}' does not exist");
            return false;
        }

        return true;
    }

    /// <summary>
    /// The columns of a table: those its Entity.xml in this solution defines, plus, for a standard table, the columns
    /// Dataverse defines (<see cref="SolutionRules.StandardColumns"/>), plus the columns every table has. Null for a
    /// table the packer cannot know.
    /// </summary>
    private HashSet<string>? ColumnsOf(string table)
    {
        if (_viewColumns.TryGetValue(table, out var known))
        {
            return known;
        }

        var entity = _source.FindEntity(table);
        var standard = SolutionRules.StandardColumns.GetValueOrDefault(table);
        if (entity is null && standard is null)
        {
            return _viewColumns[table] = null;
        }

        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { table + "id" };
        columns.UnionWith(SolutionRules.CommonColumns);
        columns.UnionWith(standard ?? Enumerable.Empty<string>());
        columns.UnionWith(entity?.Attributes.Select(EntitySource.AttributeLogicalName) ?? []);
        return _viewColumns[table] = columns;
    }

    private readonly Dictionary<string, HashSet<string>?> _viewColumns = new(StringComparer.OrdinalIgnoreCase);
}
