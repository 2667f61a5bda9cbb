namespace PartnerGuard.Policy.Schema;

/// <summary>Option values of the <c>pg_status</c> choice on pg_reassignmentrun (solution/src/Entities/pg_ReassignmentRun).</summary>
public static class ReassignmentRunStatusValues
{
    public const int Planned = 723100000;
    public const int Running = 723100001;
    public const int Completed = 723100002;
    public const int CompletedWithFailures = 723100003;
    public const int Failed = 723100004;
    public const int Interrupted = 723100005;
    public const int Undone = 723100006;
}
