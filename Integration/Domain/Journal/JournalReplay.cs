namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>
/// What a journal says about a run after a restart: per account its latest outcome (InDoubt when an intent has no
/// outcome yet); the server's code and message only for failed and skipped accounts (the ones a report explains);
/// and the prior state of the first intent only while the account is in doubt (a resumed run sends it again with
/// that prior, which is what undo restores). Compact: about 32 bytes per account the journal mentions, so a fresh
/// run holds nothing and a resumed run of 200,000 accounts about 6 MB. Accounts it does not mention remain to do.
/// Undo reads prior and target of applied accounts by streaming the file instead (<see cref="Execution.UndoRequests"/>).
/// </summary>
internal sealed class JournalReplay
{
    private readonly Dictionary<Guid, AccountOutcome> _outcomes = [];
    private readonly Dictionary<Guid, (string? Code, string? Message)> _explained = [];
    private readonly Dictionary<Guid, AccountState> _inDoubtPrior = [];

    public string? RunId { get; private set; }

    public string? Operation { get; private set; }

    public string? PlanSha256 { get; private set; }

    public bool Finished { get; private set; }

    /// <summary>The number to give the next batch (batch numbers are never reused within a run).</summary>
    public int NextBatch { get; private set; } = 1;

    /// <summary>Lines read; a torn last line is not counted.</summary>
    public int Lines { get; private set; }

    /// <summary>How many accounts the journal mentions.</summary>
    public int AccountCount => _outcomes.Count;

    public AccountOutcome? OutcomeOf(Guid accountId) => _outcomes.TryGetValue(accountId, out var outcome) ? outcome : null;

    public AccountResult? ResultOf(Guid accountId)
    {
        if (!_outcomes.TryGetValue(accountId, out var outcome))
        {
            return null;
        }

        var (code, message) = _explained.GetValueOrDefault(accountId);
        return new AccountResult(accountId, outcome, code, message);
    }

    /// <summary>The state before the run first sent a change for the account, while the account is in doubt (else null).</summary>
    public AccountState? PriorOf(Guid accountId) => _inDoubtPrior.TryGetValue(accountId, out var prior) ? prior : null;

    /// <summary>Accounts sent whose outcome was never recorded.</summary>
    public IEnumerable<Guid> InDoubt() => _inDoubtPrior.Keys;

    /// <summary>How many accounts have this outcome.</summary>
    public int Count(AccountOutcome outcome) => outcome == AccountOutcome.InDoubt ? _inDoubtPrior.Count : _outcomes.Values.Count(o => o == outcome);

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
                    _inDoubtPrior.TryAdd(change.Id, change.Prior.ToState());
                    _outcomes[change.Id] = AccountOutcome.InDoubt;
                    _explained.Remove(change.Id);
                }

                break;
            case JournalKinds.Outcome:
                NextBatch = Math.Max(NextBatch, (record.Batch ?? 0) + 1);
                foreach (var result in record.Results ?? [])
                {
                    var outcome = JournalKinds.ParseOutcome(result.Outcome);
                    _outcomes[result.Id] = outcome;
                    if (outcome != AccountOutcome.InDoubt)
                    {
                        _inDoubtPrior.Remove(result.Id);
                    }

                    if (outcome is AccountOutcome.Failed or AccountOutcome.Skipped && (result.Code is not null || result.Message is not null))
                    {
                        _explained[result.Id] = (result.Code, result.Message);
                    }
                    else
                    {
                        _explained.Remove(result.Id);
                    }
                }

                break;
            case JournalKinds.Finish:
                Finished = true;
                break;
            default:
                throw new JournalException($"Unknown journal record kind '{record.Kind}'.");
        }
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
