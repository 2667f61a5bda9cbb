using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// One account a run wants to change: the state it expects to find (anything else means someone changed the
/// account since the plan, or since the run for undo) and the state to set.
/// </summary>
internal sealed record ChangeRequest(Guid AccountId, AccountState Expected, AccountState Target);
