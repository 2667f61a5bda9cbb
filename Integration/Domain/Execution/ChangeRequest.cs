using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>
/// One account a run wants to change: the state it expects to find (anything else means someone changed the
/// account since the plan, or since the run for undo) and the state to set. <see cref="Refusal"/>, when set, says why
/// the change must not be made (its planned partner cannot take accounts now); the account is then skipped with it,
/// unless it already carries its target.
/// </summary>
internal sealed record ChangeRequest(Guid AccountId, AccountState Expected, AccountState Target, string? Refusal = null);
