using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// What a run needs from Dataverse: read the current state of some accounts, and write target states.
/// The Web API implementation is <see cref="WebApiAccountGateway"/>; tests use an in-memory one.
/// </summary>
internal interface IAccountGateway
{
    /// <summary>The current state of the accounts; an account that no longer exists is absent from the result.</summary>
    Task<IReadOnlyDictionary<Guid, AccountState>> ReadAsync(IReadOnlyList<Guid> accountIds, CancellationToken cancellationToken);

    /// <summary>
    /// Writes every change's target state. Returns one result per change (Applied or Failed with the
    /// server's code and message; Skipped when a re-read after a lost answer finds the account gone or changed by
    /// someone else). A write whose answer was lost is not sent again blindly: the implementation re-reads and sends
    /// only what is missing. Throws when the outcome stays unknown (connection lost past its re-sends, throttled
    /// beyond the time budget): the journal then has the batch in doubt, and a resumed run re-reads those accounts.
    /// </summary>
    Task<IReadOnlyList<AccountResult>> WriteAsync(IReadOnlyList<AccountChange> changes, CancellationToken cancellationToken);
}
