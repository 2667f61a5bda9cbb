using PartnerGuard.Integration.Domain;

namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>A malformed or incomplete connection string. The message names the key, never a secret value.</summary>
internal sealed class ConnectionStringException : UsageException
{
    public ConnectionStringException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>The key at fault, as the user wrote it (or the canonical key when it is missing).</summary>
    public string Key { get; }
}
