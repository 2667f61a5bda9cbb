namespace PartnerGuard.Emulator.Metadata;

/// <summary>One table: its names, columns and the behaviours the platform attaches to it.</summary>
public sealed class TableMetadata
{
    private readonly Dictionary<string, ColumnMetadata> _columns = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ColumnMetadata> _ordered = new();

    /// <summary>Creates a table with its primary key column (<c>{name}id</c> unless given).</summary>
    public TableMetadata(string logicalName, string? primaryIdColumn = null, string? primaryNameColumn = null)
    {
        if (string.IsNullOrWhiteSpace(logicalName))
        {
            throw new ArgumentException("A table needs a logical name.", nameof(logicalName));
        }

        LogicalName = logicalName.ToLowerInvariant();
        SchemaName = logicalName;
        PrimaryIdColumn = (primaryIdColumn ?? LogicalName + "id").ToLowerInvariant();
        PrimaryNameColumn = primaryNameColumn?.ToLowerInvariant();
        EntitySetName = LogicalName + "s";
        AddColumn(new ColumnMetadata(PrimaryIdColumn, ColumnType.PrimaryKey) { IsCreateOnly = true });
    }

    /// <summary>The lower-case logical name.</summary>
    public string LogicalName { get; }

    /// <summary>The schema name (<c>pg_DirectSalesRule</c>).</summary>
    public string SchemaName { get; set; }

    /// <summary>The Web API entity set name (<c>accounts</c>, <c>opportunities</c>).</summary>
    public string EntitySetName { get; set; }

    /// <summary>The primary key column.</summary>
    public string PrimaryIdColumn { get; }

    /// <summary>The primary name column, if any (<c>name</c>, <c>fullname</c>).</summary>
    public string? PrimaryNameColumn { get; set; }

    /// <summary>The self-referencing lookup that defines the table's hierarchy (<c>parentaccountid</c>), used by Under/Above.</summary>
    public string? HierarchyParentColumn { get; set; }

    /// <summary>True when the table has <c>ownerid</c> (user- or team-owned).</summary>
    public bool IsUserOwned => _columns.ContainsKey("ownerid");

    /// <summary>True when the table has <c>statecode</c>/<c>statuscode</c>.</summary>
    public bool HasState => _columns.ContainsKey("statecode");

    /// <summary>Default statuscode for each statecode (state 0 → status 1 and state 1 → status 2 unless set).</summary>
    public Dictionary<int, int> DefaultStatusForState { get; } = new() { [0] = 1, [1] = 2 };

    /// <summary>The columns in definition order.</summary>
    public IReadOnlyList<ColumnMetadata> Columns => _ordered;

    /// <summary>Looks a column up by logical name (case-insensitive).</summary>
    public ColumnMetadata? FindColumn(string logicalName)
        => logicalName is not null && _columns.TryGetValue(logicalName, out var column) ? column : null;

    /// <summary>
    /// Looks a column up by its exact logical name, as the SDK does (logical names are lower case and
    /// case-sensitive: "Name" is not account.name).
    /// </summary>
    public ColumnMetadata? FindExact(string logicalName)
        => FindColumn(logicalName) is { } column && string.Equals(column.LogicalName, logicalName, StringComparison.Ordinal) ? column : null;

    /// <summary>True when the table has the column.</summary>
    public bool HasColumn(string logicalName) => FindColumn(logicalName) is not null;

    /// <summary>Adds a column, or replaces a column of the same name (a solution may redefine a system column).</summary>
    public ColumnMetadata AddColumn(ColumnMetadata column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (_columns.TryGetValue(column.LogicalName, out var existing))
        {
            _ordered[_ordered.IndexOf(existing)] = column;
        }
        else
        {
            _ordered.Add(column);
        }

        _columns[column.LogicalName] = column;
        return column;
    }

    /// <inheritdoc />
    public override string ToString() => LogicalName;
}
