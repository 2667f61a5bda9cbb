namespace PartnerGuard.Emulator;

/// <summary>
/// The org's reader/writer lock. Readers (queries and retrieves that no plugin step can see) share it and run in
/// parallel; a writer (every other operation, with its whole pipeline and every nested call its plugins make) holds
/// it alone.
/// </summary>
/// <remarks>
/// Why a reader/writer lock and not snapshots: rows are already immutable (a write replaces the row), but the
/// tables are plain dictionaries changed in place and rolled back through an undo log; giving readers snapshots
/// would mean persistent (copy-on-write) tables, which cost every write in allocation and lookups, including the
/// single PATCH that the naive path sends. With one writer at a time and no reader during a write, the platform's
/// guarantees hold simply: an operation's writes, its plugins' included, commit or roll back together, and no
/// reader sees half of one (it waits until the operation has committed or rolled back).
/// <para>
/// Re-entrancy: plugins call the org on the thread that runs them, so a thread that holds the write lock may enter
/// it again and may read (the lock supports recursion). A thread holding only the read lock must not ask to write
/// (<see cref="ReaderWriterLockSlim"/> refuses an upgrade); the org never does, because an operation runs in read
/// mode only when no plugin step applies to it, decided while the read lock is held so no step can be registered
/// in between. Waiting writers block new readers, so a stream of reads cannot starve a write.
/// </para>
/// </remarks>
internal sealed class OrgGate
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);

    /// <summary>True when the current thread holds the lock for writing.</summary>
    public bool IsWriteHeld => _lock.IsWriteLockHeld;

    /// <summary>True when the current thread holds the lock for reading (and not for writing).</summary>
    public bool IsReadHeld => _lock.IsReadLockHeld;

    /// <summary>Threads waiting to read (tests use it to know a reader is blocked).</summary>
    public int WaitingReaders => _lock.WaitingReadCount;

    /// <summary>Threads waiting to write (tests use it to know a writer is blocked).</summary>
    public int WaitingWriters => _lock.WaitingWriteCount;

    /// <summary>Takes the lock for reading; a thread that already writes keeps writing (recursion).</summary>
    public Scope Read()
    {
        if (_lock.IsWriteLockHeld)
        {
            // Reads inside a write (a plugin's query) see the operation's own uncommitted writes.
            _lock.EnterWriteLock();
            return new Scope(_lock, write: true);
        }

        _lock.EnterReadLock();
        return new Scope(_lock, write: false);
    }

    /// <summary>Takes the lock for writing.</summary>
    public Scope Write()
    {
        if (_lock.IsReadLockHeld && !_lock.IsWriteLockHeld)
        {
            throw new InvalidOperationException(
                "The emulator cannot write while the same thread holds its read lock (a write was attempted inside a parallel read).");
        }

        _lock.EnterWriteLock();
        return new Scope(_lock, write: true);
    }

    /// <summary>Releases what <see cref="Read"/> or <see cref="Write"/> took.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ReaderWriterLockSlim? _held;
        private readonly bool _write;

        internal Scope(ReaderWriterLockSlim held, bool write)
        {
            _held = held;
            _write = write;
        }

        public void Dispose()
        {
            if (_held is null)
            {
                return;
            }

            if (_write)
            {
                _held.ExitWriteLock();
            }
            else
            {
                _held.ExitReadLock();
            }
        }
    }
}
