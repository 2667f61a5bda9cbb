namespace PartnerGuard.Integration.Domain;

/// <summary>The process exit codes of DESIGN §6; scheduled jobs branch on them.</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked was done.</summary>
    public const int Done = 0;

    /// <summary>Bad input or usage; nothing was written.</summary>
    public const int BadInput = 1;

    /// <summary>Finished, but some records failed (listed in the report).</summary>
    public const int RecordFailures = 2;

    /// <summary>Could not connect to or authenticate with Dataverse.</summary>
    public const int ConnectionFailed = 3;

    /// <summary>Interrupted; running the same command again resumes from the journal.</summary>
    public const int Interrupted = 4;
}
