using PartnerGuard.Integration.Journal;

namespace PartnerGuard.Integration.Execution;

/// <summary>Turns an apply journal into the changes that undo it: each applied account back to its prior state.</summary>
internal static class UndoRequests
{
    /// <summary>
    /// One request per account the run applied. The owner is only checked and restored when the run changed it;
    /// otherwise a later owner change is none of undo's business.
    /// </summary>
    public static IReadOnlyList<ChangeRequest> From(JournalReplay applyJournal)
    {
        var requests = new List<ChangeRequest>();
        foreach (var id in applyJournal.WithOutcome(AccountOutcome.Applied).OrderBy(id => id))
        {
            if (applyJournal.PriorOf(id) is not { } prior || applyJournal.TargetOf(id) is not { } target)
            {
                continue; // found already applied without an intent of this run: nothing recorded to restore
            }

            var ownerChanged = target.OwnerId is not null && (target.OwnerId != prior.OwnerId || target.OwnerTable != prior.OwnerTable);
            requests.Add(new ChangeRequest(
                id,
                Expected: target with { OwnerId = ownerChanged ? target.OwnerId : null, OwnerTable = ownerChanged ? target.OwnerTable : null },
                Target: prior with { OwnerId = ownerChanged ? prior.OwnerId : null, OwnerTable = ownerChanged ? prior.OwnerTable : null }));
        }

        return requests;
    }
}
