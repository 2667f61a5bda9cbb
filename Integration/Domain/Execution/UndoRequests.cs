using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// Turns an apply journal into the changes that undo it: each applied account back to its prior state. Streams the
/// file: an intent's prior and target are held only until that account's outcome line (a few batches later, or to
/// the end for accounts left in doubt), so memory stays flat however many accounts the run changed.
/// </summary>
internal sealed class UndoRequests
{
    private readonly string _path;

    private UndoRequests(string path, int count, int inDoubt, IReadOnlyDictionary<Guid, int> accountsPerPartner)
    {
        _path = path;
        Count = count;
        InDoubt = inDoubt;
        AccountsPerPartner = accountsPerPartner;
    }

    /// <summary>How many accounts undo would restore.</summary>
    public int Count { get; }

    /// <summary>Accounts the apply run sent without recording an outcome (it was interrupted): undo refuses until it is resumed.</summary>
    public int InDoubt { get; }

    /// <summary>Accounts per partner undo restores them to (Guid.Empty: no partner).</summary>
    public IReadOnlyDictionary<Guid, int> AccountsPerPartner { get; }

    /// <summary>Reads the apply journal once to count what undo would do; throws <see cref="JournalException"/> when there is none.</summary>
    public static UndoRequests Scan(string applyJournalPath)
    {
        var count = 0;
        var partners = new Dictionary<Guid, int>();
        var inDoubt = 0;
        foreach (var request in Read(applyJournalPath, pending => inDoubt = pending))
        {
            count++;
            var partner = request.Target.PartnerId ?? Guid.Empty;
            partners[partner] = partners.GetValueOrDefault(partner) + 1;
        }

        return new UndoRequests(applyJournalPath, count, inDoubt, partners);
    }

    /// <summary>The requests, streamed from the apply journal again, in the order the run recorded them applied.</summary>
    public IEnumerable<ChangeRequest> Requests() => Read(_path, _ => { });

    /// <summary>
    /// One request per account the run applied after sending it a change (accounts found already applied without an
    /// intent of this run have nothing recorded to restore). The owner is only checked and restored when the run changed
    /// it; otherwise a later owner change is none of undo's business.
    /// </summary>
    public static IEnumerable<ChangeRequest> Read(string applyJournalPath, Action<int> inDoubtAtEnd)
    {
        if (!File.Exists(applyJournalPath))
        {
            throw new JournalException($"No journal at '{applyJournalPath}'.");
        }

        return Stream(applyJournalPath, inDoubtAtEnd);
    }

    private static IEnumerable<ChangeRequest> Stream(string path, Action<int> inDoubtAtEnd)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan);
        var sent = new Dictionary<Guid, (AccountState Prior, AccountState Target)>();
        foreach (var (record, _) in JournalLines.Read(stream, path))
        {
            if (record.Kind == JournalKinds.Intent)
            {
                foreach (var change in record.Changes ?? [])
                {
                    // A resent in-doubt account keeps the prior of its first intent: that is what the run found.
                    sent[change.Id] = sent.TryGetValue(change.Id, out var first)
                        ? (first.Prior, change.Target.ToState())
                        : (change.Prior.ToState(), change.Target.ToState());
                }
            }
            else if (record.Kind == JournalKinds.Outcome)
            {
                foreach (var result in record.Results ?? [])
                {
                    var outcome = JournalKinds.ParseOutcome(result.Outcome);
                    if (outcome == AccountOutcome.InDoubt || !sent.Remove(result.Id, out var change))
                    {
                        continue;
                    }

                    if (outcome == AccountOutcome.Applied)
                    {
                        yield return Undo(result.Id, change.Prior, change.Target);
                    }
                }
            }
        }

        inDoubtAtEnd(sent.Count);
    }

    private static ChangeRequest Undo(Guid id, AccountState prior, AccountState target)
    {
        var ownerChanged = target.OwnerId is not null && (target.OwnerId != prior.OwnerId || target.OwnerTable != prior.OwnerTable);
        return new ChangeRequest(
            id,
            Expected: target with { OwnerId = ownerChanged ? target.OwnerId : null, OwnerTable = ownerChanged ? target.OwnerTable : null },
            Target: prior with { OwnerId = ownerChanged ? prior.OwnerId : null, OwnerTable = ownerChanged ? prior.OwnerTable : null });
    }
}
