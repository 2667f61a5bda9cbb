using System.Globalization;

namespace PartnerGuard.Integration.Reports;

/// <summary>Where a command writes its reports: --output DIR, or a dated folder under ./partnerguard-reports/.</summary>
internal static class ReportFolder
{
    public const string DefaultRoot = "partnerguard-reports";

    /// <summary>
    /// The report folder of a run of apply, distribute or undo (not created: <c>RunSettings.CreateReportFolder</c>
    /// creates it on first use): the given one, or partnerguard-reports/yyyy-MM-dd of the day the run started.
    /// Chosen once per run.
    /// </summary>
    public static string ForRun(Func<string, string> resolve, string? output, DateTimeOffset now) =>
        output is not null
            ? resolve(output)
            : resolve(Path.Combine(DefaultRoot, now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Checks, before a command connects, that its report folder can be created and written (--output, else the
    /// default root): exit 1 naming --output otherwise. Creates nothing.
    /// </summary>
    public static void Check(Cli.CliContext context, string? output) =>
        Cli.PathCheck.OutputFolder(context, "--output", output ?? DefaultRoot);

    /// <summary>The folder for this run (created): the given one, or partnerguard-reports/yyyy-MM-dd_HHmmss-command.</summary>
    public static string Create(Cli.CliContext context, string? output, string command)
    {
        var folder = output is not null
            ? context.Resolve(output)
            : context.Resolve(Path.Combine(DefaultRoot, context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd_HHmmss", CultureInfo.InvariantCulture) + "-" + command));
        Cli.PathCheck.OutputFolder(context, "--output", output ?? folder);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
