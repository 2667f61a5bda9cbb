namespace PartnerGuard.Emulator.Storage;

/// <summary>
/// Per-table dictionaries of rows, plus an undo log so that one top-level operation (and every nested
/// write made by its plugins) can be rolled back as a unit. Not thread-safe by itself: the org's
/// <see cref="OrgGate"/> lets readers in together and writers in alone. Readers use <see cref="Find"/>,
/// <see cref="Rows"/>, <see cref="Count"/> and <see cref="ReadTable"/>, which never change the store (a missing table
/// reads as empty); only writers call <see cref="Table"/>, which creates a table's dictionary on first use.
/// </summary>
internal sealed class RowStore
{
    private readonly Dictionary<string, Dictionary<Guid, Row>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Table, Guid Id, Row? Before)> _undo = new();
    private long _version;
    private readonly HashSet<string> _watched = new(StringComparer.OrdinalIgnoreCase);
    private long _watchedVersion;

    /// <summary>
    /// Counts writes (and rollbacks of writes) to the watched tables: the security model caches what it derived from
    /// them and rebuilds when this changes. Read from any thread.
    /// </summary>
    public long WatchedVersion => Interlocked.Read(ref _watchedVersion);

    /// <summary>Adds tables whose writes move <see cref="WatchedVersion"/>.</summary>
    public void Watch(IEnumerable<string> tables) => _watched.UnionWith(tables);

    private void Touched(string table)
    {
        if (_watched.Contains(table))
        {
            Interlocked.Increment(ref _watchedVersion);
        }
    }

    /// <summary>The highest row version handed out.</summary>
    public long CurrentVersion => _version;

    /// <summary>True while a transaction is open (<see cref="Savepoint"/> was taken and not yet committed).</summary>
    public int OpenTransactions { get; private set; }

    public long NextVersion() => ++_version;

    public void RestoreVersion(long version) => _version = Math.Max(_version, version);

    private static readonly Dictionary<Guid, Row> Empty = new();

    /// <summary>A table's rows for reading; never creates the table (shared empty dictionary when it has no rows yet). Do not modify.</summary>
    public IReadOnlyDictionary<Guid, Row> ReadTable(string table)
        => _tables.TryGetValue(table, out var rows) ? rows : Empty;

    /// <summary>A table's rows, for readers.</summary>
    public IEnumerable<Row> Rows(string table) => ReadTable(table).Values;

    /// <summary>The number of rows in a table.</summary>
    public int Count(string table) => ReadTable(table).Count;

    /// <summary>A table's dictionary for writing, created on first use; writers only.</summary>
    public Dictionary<Guid, Row> Table(string table)
    {
        if (!_tables.TryGetValue(table, out var rows))
        {
            rows = new Dictionary<Guid, Row>();
            _tables[table] = rows;
        }

        return rows;
    }

    public IEnumerable<string> TableNames => _tables.Keys;

    public Row? Find(string table, Guid id)
        => _tables.TryGetValue(table, out var rows) && rows.TryGetValue(id, out var row) ? row : null;

    public void Put(string table, Row row)
    {
        var rows = Table(table);
        rows.TryGetValue(row.Id, out var before);
        if (OpenTransactions > 0)
        {
            _undo.Add((table, row.Id, before));
        }

        rows[row.Id] = row;
        Touched(table);
    }

    public bool Remove(string table, Guid id)
    {
        var rows = Table(table);
        if (!rows.TryGetValue(id, out var before))
        {
            return false;
        }

        if (OpenTransactions > 0)
        {
            _undo.Add((table, id, before));
        }

        rows.Remove(id);
        Touched(table);
        return true;
    }

    /// <summary>Opens a (nested) transaction and returns the savepoint to roll back to.</summary>
    public int Savepoint()
    {
        OpenTransactions++;
        return _undo.Count;
    }

    /// <summary>Undoes every write since the savepoint and closes that transaction level.</summary>
    public void RollbackTo(int savepoint)
    {
        for (var i = _undo.Count - 1; i >= savepoint; i--)
        {
            var (table, id, before) = _undo[i];
            Touched(table);
            var rows = Table(table);
            if (before is null)
            {
                rows.Remove(id);
            }
            else
            {
                rows[id] = before;
            }
        }

        _undo.RemoveRange(savepoint, _undo.Count - savepoint);
        Close();
    }

    /// <summary>Closes a transaction level, keeping its writes (they stay undoable by an outer level).</summary>
    public void Commit()
    {
        Close();
    }

    private void Close()
    {
        OpenTransactions--;
        if (OpenTransactions == 0)
        {
            _undo.Clear();
        }
    }
}
