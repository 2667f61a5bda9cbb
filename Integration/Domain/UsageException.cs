namespace PartnerGuard.Integration.Domain;

/// <summary>
/// Bad input or usage detected before anything was written (exit code 1). The message names the
/// field, line or value at fault and is shown to the user as it is.
/// </summary>
internal class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
