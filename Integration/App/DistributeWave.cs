using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.App;

/// <summary>
/// `distribute`: plan one wave and apply it in one step. The command runs the steps in order: <see cref="PlanAsync"/>
/// (the saved plan of a wave that already started, else a new draft), <see cref="ApplyRun.PrepareAsync"/>, the
/// confirmation, <see cref="SavePlan"/> (only once the run is going to write), <see cref="ApplyRun.ApplyPlanAsync"/>.
/// </summary>
internal static class DistributeWave
{
    /// <summary>
    /// The wave's plan. A resumed wave re-applies the plan it started with (saved in the journal folder), not a new one
    /// built from today's data; a new wave is planned into the report folder as a draft.
    /// </summary>
    public static async Task<WavePlan> PlanAsync(UseCaseContext context, DataverseWebApiClient client, PlanSettings plan, RunSettings run, AccountFetchFilter? filter, CancellationToken cancellationToken)
    {
        var saved = Path.Combine(run.JournalFolder, plan.RunId + ".plan.csv");
        if (File.Exists(saved))
        {
            var resumed = PlanReader.Check(saved);
            await context.Out.WriteLineAsync($"Resuming wave '{plan.RunId}' with its saved plan {saved}.").ConfigureAwait(false);
            return new WavePlan(resumed, Draft: null, saved);
        }

        // The new plan goes to the report folder first; it is copied into the journal folder only once the run is
        // going to write, so a dry run or a refused run leaves no plan that a later run would resume.
        var draft = Path.Combine(run.CreateReportFolder(), plan.RunId + ".distribute-plan.csv");
        var written = await PlanWave.WriteAsync(context, client, plan, draft, cancellationToken, filter).ConfigureAwait(false);
        return new WavePlan(PlanReader.Check(written.CsvPath), draft, saved);
    }

    /// <summary>Copies a new wave's draft into the journal folder (a resumed wave's plan is there already).</summary>
    public static void SavePlan(UseCaseContext context, WavePlan wave)
    {
        if (wave.Draft is not { } draft)
        {
            return;
        }

        CopyAtomically(PlanFiles.JsonPathFor(draft), PlanFiles.JsonPathFor(wave.SavedPath));
        CopyAtomically(draft, wave.SavedPath); // the CSV last: its presence is what marks the wave as started
        context.Out.WriteLine($"Plan saved to {wave.SavedPath}.");
    }

    private static void CopyAtomically(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        var temporary = to + ".tmp";
        using (var source = File.OpenRead(from))
        using (var target = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            source.CopyTo(target);
            target.Flush(flushToDisk: true); // on disk before the run's first write depends on it
        }

        File.Move(temporary, to, overwrite: true);
    }
}

/// <summary>A wave's checked plan; <see cref="Draft"/> is the new plan's file in the report folder (null when resumed).</summary>
internal sealed record WavePlan(CheckedPlan Plan, string? Draft, string SavedPath);
