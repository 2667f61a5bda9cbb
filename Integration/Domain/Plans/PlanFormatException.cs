using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Domain.Plans;

/// <summary>A malformed plan file; the message names the file, the line and the field.</summary>
internal sealed class PlanFormatException : UsageException
{
    public PlanFormatException(string message)
        : base(message)
    {
    }

    public PlanFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
