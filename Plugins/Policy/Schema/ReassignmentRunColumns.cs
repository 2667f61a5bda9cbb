namespace PartnerGuard.Policy.Schema;

/// <summary>
/// Logical names on the pg_reassignmentrun table (DESIGN §2): one row per reassignment run, written by the console.
/// The <c>pg_status</c> options are <see cref="ReassignmentRunStatusValues"/>.
/// </summary>
public static class ReassignmentRunColumns
{
    public const string Table = "pg_reassignmentrun";
    public const string EntitySet = "pg_reassignmentruns";
    public const string Id = "pg_reassignmentrunid";

    /// <summary>The run id.</summary>
    public const string Name = "pg_name";
    public const string StartedOn = "pg_startedon";
    public const string FinishedOn = "pg_finishedon";
    public const string Status = "pg_status";
    public const string Strategy = "pg_strategy";

    /// <summary>The run's parameters as a JSON object.</summary>
    public const string Parameters = "pg_parameters";
    public const string Planned = "pg_planned";
    public const string Applied = "pg_applied";
    public const string Failed = "pg_failed";
    public const string Undone = "pg_undone";
}
