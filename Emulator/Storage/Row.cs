namespace PartnerGuard.Emulator.Storage;

/// <summary>
/// A stored row. Rows are never changed once stored: a write replaces the row with a new one, so the undo
/// log can keep the previous instance and readers never see a half-applied write. Values are held in the
/// emulator's internal form (see <see cref="Values.ValueCodec"/>), never as SDK objects, so no caller can
/// alias stored state.
/// </summary>
internal sealed class Row
{
    public Row(Guid id, Dictionary<string, object> values, long version)
    {
        Id = id;
        Values = values;
        Version = version;
    }

    public Guid Id { get; }

    /// <summary>Column → internal value. A column that is null is absent.</summary>
    public Dictionary<string, object> Values { get; }

    /// <summary>The row version (<c>versionnumber</c>), also used as the etag.</summary>
    public long Version { get; }

    public object? Get(string column) => Values.TryGetValue(column, out var value) ? value : null;
}

/// <summary>The internal form of a lookup value: table and id.</summary>
internal sealed record LookupValue(string Table, Guid Id);
