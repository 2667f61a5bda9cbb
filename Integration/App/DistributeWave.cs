using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
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

    /// <summary>
    /// The run id of the oldest unfinished wave of the same kind in the journal folder, or null. A wave is started
    /// once its plan is saved there (<see cref="SavePlan"/>) and finished once its apply journal ends with a finish
    /// line; "the same kind" is the same strategy and parameters (wave size, per-partner cap, shard, mapping file).
    /// A scheduled job's command line carries no run id, so this is how the same command finishes what an
    /// interrupted run (exit 4, a kill, a reboot) left before it plans another wave (issue #12 defect 3).
    /// </summary>
    public static string? UnfinishedWave(string journalFolder, PlanHeader wanted)
    {
        if (!Directory.Exists(journalFolder))
        {
            return null;
        }

        var unfinished = new List<PlanHeader>();
        foreach (var saved in Directory.EnumerateFiles(journalFolder, "*.plan.csv"))
        {
            PlanHeader header;
            try
            {
                using var reader = PlanReader.Open(saved);
                header = reader.Header;
            }
            catch (PlanFormatException)
            {
                continue; // not a plan this folder's waves wrote; the run it names (if any) cannot be resumed from it
            }

            if (header.Strategy != wanted.Strategy || !SameParameters(header.Parameters, wanted.Parameters)
                || !string.Equals(Path.GetFileName(saved), header.RunId + ".plan.csv", StringComparison.Ordinal))
            {
                continue;
            }

            var journal = RunJournal.PathFor(journalFolder, header.RunId, RunKind.Apply.Operation);
            if (!File.Exists(journal) || !Finished(journal))
            {
                unfinished.Add(header);
            }
        }

        return unfinished.OrderBy(h => h.CreatedOn).ThenBy(h => h.RunId, StringComparer.Ordinal).FirstOrDefault()?.RunId;
    }

    private static bool Finished(string journal)
    {
        try
        {
            return RunJournal.ReadOnly(journal).Finished;
        }
        catch (JournalException)
        {
            return false; // damaged: resuming it names the damage, which a person must look at
        }
    }

    private static bool SameParameters(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal));

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
