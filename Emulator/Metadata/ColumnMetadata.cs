namespace PartnerGuard.Emulator.Metadata;

/// <summary>One column of a table: its logical name, type and the facts the emulator enforces.</summary>
public sealed class ColumnMetadata
{
    /// <summary>Creates a column definition.</summary>
    public ColumnMetadata(string logicalName, ColumnType type)
    {
        if (string.IsNullOrWhiteSpace(logicalName))
        {
            throw new ArgumentException("A column needs a logical name.", nameof(logicalName));
        }

        LogicalName = logicalName.ToLowerInvariant();
        SchemaName = logicalName;
        Type = type;
    }

    /// <summary>The lower-case logical name (<c>pg_partnerid</c>).</summary>
    public string LogicalName { get; }

    /// <summary>The schema name (<c>pg_PartnerId</c>); the Web API uses it for lookup navigation properties.</summary>
    public string SchemaName { get; set; }

    /// <summary>The column type.</summary>
    public ColumnType Type { get; }

    /// <summary>Maximum length in characters for <see cref="ColumnType.String"/> and <see cref="ColumnType.Memo"/>.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Tables a lookup may point to (lower-case logical names).</summary>
    public IReadOnlyList<string> Targets { get; set; } = Array.Empty<string>();

    /// <summary>Allowed option values for choice, state and status columns; empty means any value is accepted.</summary>
    public IReadOnlyCollection<int> Options { get; set; } = Array.Empty<int>();

    /// <summary>
    /// Labels of the choice's values in the org's base language (1033), read from the solution; FetchXML and
    /// QueryExpression order a choice column by these labels. Empty when the labels are not known.
    /// </summary>
    public IReadOnlyDictionary<int, string> OptionLabels { get; set; } = new Dictionary<int, string>();

    /// <summary>For status reasons: the state each status value belongs to.</summary>
    public IReadOnlyDictionary<int, int> StatusToState { get; set; } = new Dictionary<int, int>();

    /// <summary>True when callers may not set the column (createdon, versionnumber, <c>_base</c> companions...): values sent are ignored, as Dataverse does.</summary>
    public bool IsReadOnly { get; set; }

    /// <summary>True for <c>{money}_base</c> columns the platform computes.</summary>
    public bool IsBaseCurrency { get; set; }

    /// <summary>True when the column may be set on create only (Dataverse "ValidForUpdateApi = false").</summary>
    public bool IsCreateOnly { get; set; }

    /// <summary>True for lookups of any kind.</summary>
    public bool IsLookup => Type is ColumnType.Lookup or ColumnType.Customer or ColumnType.Owner;

    /// <summary>True for choice, state and status columns.</summary>
    public bool IsOptionSet => Type is ColumnType.Picklist or ColumnType.State or ColumnType.Status;

    /// <inheritdoc />
    public override string ToString() => $"{LogicalName} ({Type})";
}
