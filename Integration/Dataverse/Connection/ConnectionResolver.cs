namespace PartnerGuard.Integration.Dataverse.Connection;

/// <summary>Where the connection string comes from: --connection first, then PARTNERGUARD_CONNECTION.</summary>
internal static class ConnectionResolver
{
    public const string EnvironmentVariable = "PARTNERGUARD_CONNECTION";

    /// <summary>
    /// The parsed settings, or null when neither the option nor the variable is set (the caller then uses
    /// the embedded local org). A malformed string throws <see cref="ConnectionStringException"/> naming the key.
    /// </summary>
    public static ConnectionSettings? Resolve(string? option, Func<string, string?> environment)
    {
        var text = !string.IsNullOrWhiteSpace(option) ? option : environment(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? null : ConnectionStringParser.Parse(text);
    }
}
