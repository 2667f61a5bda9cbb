namespace PartnerGuard.Integration.Domain;

/// <summary>
/// Dataverse could not be reached, or refused the credentials (exit code 3). The message never
/// carries a secret: it is built from the redacted connection description only.
/// </summary>
internal sealed class ConnectionFailedException : Exception
{
    public ConnectionFailedException(string message)
        : base(message)
    {
    }

    public ConnectionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
