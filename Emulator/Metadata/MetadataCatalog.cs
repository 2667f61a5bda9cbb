namespace PartnerGuard.Emulator.Metadata;

/// <summary>
/// The org's tables and columns: the built-in system subset plus what solutions add. This is the metadata
/// lookup an HTTP front needs (entity set names, primary id/name, column types, lookup targets).
/// </summary>
public sealed class MetadataCatalog
{
    private readonly Dictionary<string, TableMetadata> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RelationshipMetadata> _relationships = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ManyToManyRelationshipMetadata> _manyToMany = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Many-to-many relationships known to the org (the built-in role assignments).</summary>
    public IEnumerable<ManyToManyRelationshipMetadata> ManyToManyRelationships => _manyToMany.Values;

    /// <summary>Adds (or replaces) a many-to-many relationship.</summary>
    public void AddManyToMany(ManyToManyRelationshipMetadata relationship)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        _manyToMany[relationship.SchemaName] = relationship;
    }

    /// <summary>Looks a many-to-many relationship up by schema name; null when unknown.</summary>
    public ManyToManyRelationshipMetadata? FindManyToMany(string? schemaName)
        => schemaName is not null && _manyToMany.TryGetValue(schemaName, out var relationship) ? relationship : null;

    /// <summary>One-to-many relationships known to the org (from solutions or added in code).</summary>
    public IEnumerable<RelationshipMetadata> Relationships => _relationships.Values;

    /// <summary>Adds (or replaces) a one-to-many relationship.</summary>
    public void AddRelationship(RelationshipMetadata relationship)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        _relationships[relationship.SchemaName] = relationship;
    }

    /// <summary>Looks a relationship up by schema name; null when unknown.</summary>
    public RelationshipMetadata? FindRelationship(string? schemaName)
        => schemaName is not null && _relationships.TryGetValue(schemaName, out var relationship) ? relationship : null;

    /// <summary>All tables, in no particular order.</summary>
    public IEnumerable<TableMetadata> Tables => _tables.Values;

    /// <summary>Looks a table up by logical name (case-insensitive); null when the org has no such table.</summary>
    public TableMetadata? Find(string? logicalName)
        => logicalName is not null && _tables.TryGetValue(logicalName, out var table) ? table : null;

    /// <summary>Looks a table up by its Web API entity set name (<c>accounts</c>); null when none matches.</summary>
    public TableMetadata? FindByEntitySetName(string entitySetName)
        => _tables.Values.FirstOrDefault(t => string.Equals(t.EntitySetName, entitySetName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The table, or the fault Dataverse gives for an unknown table.</summary>
    public TableMetadata Get(string? logicalName)
    {
        if (string.IsNullOrWhiteSpace(logicalName))
        {
            throw OrgFaults.InvalidArgument("The entity name is missing: every request needs a table logical name.");
        }

        return Find(logicalName) ?? throw OrgFaults.UnknownTable(logicalName);
    }

    /// <summary>The table by its exact logical name, as the SDK resolves it (case-sensitive), or the platform's fault.</summary>
    public TableMetadata GetExact(string? logicalName)
    {
        var table = Get(logicalName);
        return string.Equals(table.LogicalName, logicalName, StringComparison.Ordinal) ? table : throw OrgFaults.UnknownTable(logicalName!);
    }

    /// <summary>Adds a table, or returns the existing one with that name so that columns can be added to it.</summary>
    public TableMetadata AddOrGet(TableMetadata table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (_tables.TryGetValue(table.LogicalName, out var existing))
        {
            return existing;
        }

        _tables[table.LogicalName] = table;
        return table;
    }
}

/// <summary>A one-to-many relationship: the referencing table holds a lookup to the referenced table.</summary>
/// <param name="SchemaName">The relationship schema name (<c>pg_opportunity_PartnerId_account</c>).</param>
/// <param name="ReferencedTable">The "one" side, the lookup's target.</param>
/// <param name="ReferencingTable">The "many" side, which holds the lookup.</param>
/// <param name="ReferencingColumn">The lookup column.</param>
public sealed record RelationshipMetadata(string SchemaName, string ReferencedTable, string ReferencingTable, string ReferencingColumn);

/// <summary>A many-to-many relationship: each pair of related rows is one row of the intersect table.</summary>
/// <param name="SchemaName">The relationship schema name (<c>systemuserroles_association</c>).</param>
/// <param name="IntersectTable">The table holding one row per related pair (<c>systemuserroles</c>).</param>
/// <param name="Table1">The first table.</param>
/// <param name="Column1">The intersect column holding the first table's id.</param>
/// <param name="Table2">The second table.</param>
/// <param name="Column2">The intersect column holding the second table's id.</param>
public sealed record ManyToManyRelationshipMetadata(string SchemaName, string IntersectTable, string Table1, string Column1, string Table2, string Column2);
