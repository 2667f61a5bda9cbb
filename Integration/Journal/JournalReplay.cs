namespace PartnerGuard.Integration.Journal;

/// <summary>
/// What a journal says about a run after a restart: per account, the prior state from its first intent and
/// its latest outcome (InDoubt when an intent has no outcome yet). Accounts it does not mention remain to do.
/// </summary>
internal sealed class JournalReplay
{
    private readonly Dictionary<Guid, Entry> _entries = [];

    public string? RunId { get; private set; }

    public string? Operation { get; private set; }

    public string? PlanSha256 { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>The number to give the next batch (batch numbers are never reused within a run).</summary>
    public int NextBatch { get; private set; } = 1;

    /// <summary>Lines read; a torn last line is not counted.</summary>
    public int Lines { get; private set; }

    public IReadOnlyCollection<Guid> Accounts => _entries.Keys;

    public AccountOutcome? OutcomeOf(Guid accountId) => _entries.TryGetValue(accountId, out var e) ? e.Outcome : null;

    public AccountResult? ResultOf(Guid accountId) =>
        _entries.TryGetValue(accountId, out var e) && e.Outcome is { } outcome ? new AccountResult(accountId, outcome, e.Code, e.Message) : null;

    /// <summary>The state before the run first changed the account (null when it never sent a change for it).</summary>
    public AccountState? PriorOf(Guid accountId) => _entries.TryGetValue(accountId, out var e) ? e.Prior : null;

    public AccountState? TargetOf(Guid accountId) => _entries.TryGetValue(accountId, out var e) ? e.Target : null;

    /// <summary>Accounts sent whose outcome was never recorded.</summary>
    public IEnumerable<Guid> InDoubt() => WithOutcome(AccountOutcome.InDoubt);

    public IEnumerable<Guid> WithOutcome(AccountOutcome outcome) =>
        _entries.Where(e => e.Value.Outcome == outcome).Select(e => e.Key);

    internal void Apply(JournalRecord record)
    {
        Lines++;
        switch (record.Kind)
        {
            case JournalKinds.Start:
                RunId ??= record.Run;
                Operation ??= record.Operation;
                PlanSha256 ??= record.PlanSha256;
                Finished = false;
                break;
            case JournalKinds.Intent:
                NextBatch = Math.Max(NextBatch, (record.Batch ?? 0) + 1);
                foreach (var change in record.Changes ?? [])
                {
                    var entry = Get(change.Id);
                    entry.Prior ??= change.Prior.ToState();
                    entry.Target = change.Target.ToState();
                    entry.Outcome = AccountOutcome.InDoubt;
                    entry.Code = null;
                    entry.Message = null;
                }

                break;
            case JournalKinds.Outcome:
                NextBatch = Math.Max(NextBatch, (record.Batch ?? 0) + 1);
                foreach (var result in record.Results ?? [])
                {
                    var entry = Get(result.Id);
                    entry.Outcome = JournalKinds.ParseOutcome(result.Outcome);
                    entry.Code = result.Code;
                    entry.Message = result.Message;
                }

                break;
            case JournalKinds.Finish:
                Finished = true;
                break;
            default:
                throw new JournalException($"Unknown journal record kind '{record.Kind}'.");
        }
    }

    private Entry Get(Guid id)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            entry = new Entry();
            _entries[id] = entry;
        }

        return entry;
    }

    private sealed class Entry
    {
        public AccountState? Prior { get; set; }

        public AccountState? Target { get; set; }

        public AccountOutcome? Outcome { get; set; }

        public string? Code { get; set; }

        public string? Message { get; set; }
    }
}

internal static class JournalKinds
{
    public const string Start = "start";
    public const string Intent = "intent";
    public const string Outcome = "outcome";
    public const string Finish = "finish";

    public static string Format(AccountOutcome outcome) => outcome switch
    {
        AccountOutcome.Applied => "applied",
        AccountOutcome.Failed => "failed",
        AccountOutcome.Skipped => "skipped",
        AccountOutcome.InDoubt => "in-doubt",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static AccountOutcome ParseOutcome(string text) => text switch
    {
        "applied" => AccountOutcome.Applied,
        "failed" => AccountOutcome.Failed,
        "skipped" => AccountOutcome.Skipped,
        "in-doubt" => AccountOutcome.InDoubt,
        _ => throw new JournalException($"Unknown outcome '{text}' in the journal."),
    };
}
