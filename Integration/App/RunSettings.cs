using PartnerGuard.Integration.Dataverse;

namespace PartnerGuard.Integration.App;

/// <summary>
/// How a run of apply, distribute or undo executes, bound once from the command line (<c>ExecutionOptionSet</c>).
/// The folders are absolute; <see cref="ReportFolder"/> is chosen once per run, so a run that crosses midnight keeps
/// its draft plan, preview, results and attach report together.
/// </summary>
internal sealed record RunSettings(
    int BatchSize,
    int MaxParallelism,
    WritePath WritePath,
    bool AssignOwner,
    string JournalFolder,
    string ReportFolder,
    bool DryRun = false,
    bool Yes = false,
    bool AttachOpenOpportunities = false)
{
    /// <summary>The report folder, created on first use (a refused or failed run leaves none behind).</summary>
    public string CreateReportFolder()
    {
        Directory.CreateDirectory(ReportFolder);
        return ReportFolder;
    }
}
