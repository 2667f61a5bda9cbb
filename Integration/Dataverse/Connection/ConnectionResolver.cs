namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>Where the connection string comes from: --connection first, then PARTNERGUARD_CONNECTION.</summary>
internal static class ConnectionResolver
{
    public const string EnvironmentVariable = "PARTNERGUARD_CONNECTION";

    /// <summary>
    /// The parsed settings, or null when neither the option nor the variable is set at all (the caller then uses
    /// the embedded local org). A set but empty or blank value is an error, not the demo org: it is what a CI system
    /// passes for a missing secret. A malformed string throws <see cref="ConnectionStringException"/> naming the key.
    /// </summary>
    public static ConnectionSettings? Resolve(string? option, Func<string, string?> environment)
    {
        var (text, source) = option is not null ? (option, "--connection") : (environment(EnvironmentVariable), EnvironmentVariable);
        if (text is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConnectionStringException("AuthType",
                $"{source} is set but empty. Give a connection string (AuthType=…;Url=…), or leave {source} unset to use the embedded local org.");
        }

        return ConnectionStringParser.Parse(text);
    }
}
