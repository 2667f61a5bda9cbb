using PartnerGuard.Integration.Domain.Execution;

namespace PartnerGuard.Integration.App;

/// <summary>
/// What a run is given: its id, its change requests as a stream that can be read again (from the plan file or the
/// apply journal), how many there are, and how many go to each target partner (Guid.Empty: none) — known from a
/// first pass, so the confirmation and the report need no list of accounts.
/// </summary>
internal sealed record RunInput(string RunId, Func<IEnumerable<ChangeRequest>> Requests, int Count, IReadOnlyDictionary<Guid, int> AccountsPerPartner);
