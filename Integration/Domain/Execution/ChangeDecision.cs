using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Domain.Execution;

/// <summary>What to do with an account, given what the server holds now.</summary>
internal enum ChangeDecision
{
    Write,
    AlreadyDone,
    Skip,
}
