using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Tests.Support;

/// <summary>
/// A stand-in for the server side of a run: account states, a count of writes per account, optional
/// per-record refusals, and crash points ("the process dies here") numbered in one sequence with the
/// journal's appends, so a test can stop a run at every step of the protocol.
/// A double kept on purpose: "the process dies between the journal's intent and the write" is a fault no emulator
/// produces; ExactlyOnceTests need it at every step.
/// </summary>
internal sealed class InMemoryAccounts : IAccountGateway
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, AccountState> _accounts = [];
    private readonly Dictionary<Guid, int> _writes = [];

    public HashSet<Guid> Refuse { get; } = [];

    /// <summary>Shared step counter; when it reaches <see cref="CrashAtStep"/> the step throws instead.</summary>
    public StepClock Steps { get; set; } = new(null);

    public void Seed(Guid id, AccountState state)
    {
        lock (_lock)
        {
            _accounts[id] = state;
        }
    }

    public AccountState StateOf(Guid id)
    {
        lock (_lock)
        {
            return _accounts[id];
        }
    }

    public int WritesOf(Guid id)
    {
        lock (_lock)
        {
            return _writes.GetValueOrDefault(id);
        }
    }

    public Task<IReadOnlyDictionary<Guid, AccountState>> ReadAsync(IReadOnlyList<Guid> accountIds, CancellationToken cancellationToken)
    {
        Steps.Step("read");
        lock (_lock)
        {
            IReadOnlyDictionary<Guid, AccountState> found = accountIds
                .Where(_accounts.ContainsKey)
                .ToDictionary(id => id, id => _accounts[id]);
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<AccountResult>> WriteAsync(IReadOnlyList<AccountChange> changes, CancellationToken cancellationToken)
    {
        Steps.Step("send"); // died after the intent was journaled, before the server saw the batch
        var results = new List<AccountResult>();
        lock (_lock)
        {
            foreach (var change in changes)
            {
                if (Refuse.Contains(change.AccountId))
                {
                    results.Add(new AccountResult(change.AccountId, AccountOutcome.Failed, "0x80040265", "Blocked by a plug-in."));
                    continue;
                }

                var before = _accounts[change.AccountId];
                _accounts[change.AccountId] = new AccountState(
                    change.Target.PartnerId,
                    change.Target.OwnerId ?? before.OwnerId,
                    change.Target.OwnerId is null ? before.OwnerTable : change.Target.OwnerTable,
                    change.Target.AssignedOn,
                    change.Target.AssignmentRun);
                _writes[change.AccountId] = _writes.GetValueOrDefault(change.AccountId) + 1;
                results.Add(new AccountResult(change.AccountId, AccountOutcome.Applied));
            }
        }

        Steps.Step("answer"); // the server applied the batch, the process died before learning it
        return Task.FromResult<IReadOnlyList<AccountResult>>(results);
    }
}

/// <summary>Numbers side-effecting steps; throws a simulated crash at the chosen one.</summary>
internal sealed class StepClock(int? crashAt)
{
    private int _count;

    public int Count => _count;

    public List<string> Names { get; } = [];

    public bool Crashed { get; private set; }

    /// <summary>Counts a step; returns true when this is the crash step (the caller decides how to crash).</summary>
    public bool Next(string name)
    {
        var n = Interlocked.Increment(ref _count);
        Names.Add(name);
        if (n == crashAt)
        {
            Crashed = true;
            return true;
        }

        return false;
    }

    public void Step(string name)
    {
        if (Next(name))
        {
            throw new SimulatedCrashException($"simulated crash at step {_count} ({name})");
        }
    }
}
