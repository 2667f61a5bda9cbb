using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Domain.Journal;

/// <summary>The journal cannot be used (damaged before its last line, or it belongs to another plan).</summary>
internal sealed class JournalException : UsageException
{
    public JournalException(string message)
        : base(message)
    {
    }
}
