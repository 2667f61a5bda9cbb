namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>
/// The account columns a reassignment run changes, as read from or written to Dataverse:
/// <c>pg_assignedpartnerid</c>, <c>ownerid</c> (with its table), <c>pg_partnerassignedon</c>, <c>pg_assignmentrun</c>.
/// The journal keeps the prior state of every account it changes, so undo can restore it exactly.
/// </summary>
internal sealed record AccountState(
    Guid? PartnerId,
    Guid? OwnerId,
    string? OwnerTable,
    DateTimeOffset? AssignedOn,
    string? AssignmentRun);

/// <summary>One account's change: what it was (for undo) and what the run sets.</summary>
internal sealed record AccountChange(Guid AccountId, AccountState Prior, AccountState Target);

/// <summary>Final status of an account in a run.</summary>
internal enum AccountOutcome
{
    /// <summary>Sent, but the process stopped before the answer was recorded: re-read the account to decide.</summary>
    InDoubt,

    /// <summary>Changed (or found already changed by this run when an in-doubt account was re-read).</summary>
    Applied,

    /// <summary>Dataverse refused this record (the error is kept for the report).</summary>
    Failed,

    /// <summary>Not changed on purpose: the row is gone, or it changed since the plan (or since the run, for undo).</summary>
    Skipped,
}

/// <summary>The recorded result for one account.</summary>
internal sealed record AccountResult(Guid AccountId, AccountOutcome Outcome, string? Code = null, string? Message = null);
