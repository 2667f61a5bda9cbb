using System.CommandLine;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard distribute`: plan and apply one wave in one step, for scheduled jobs.</summary>
internal static class DistributeCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var strategy = CommonOptions.Strategy();
        var mapping = CommonOptions.Mapping();
        var waveSize = CommonOptions.PositiveNullable(new Option<int?>("--wave-size") { Description = "At most this many accounts in this wave.", Required = true });
        var perPartnerMax = CommonOptions.PerPartnerMax();
        var shard = CommonOptions.Shard();
        var runId = CommonOptions.RunId();
        var fetchXml = CommonOptions.FetchXml();
        var execution = CommonOptions.Execution();

        var command = new Command("distribute", "Plan and apply one capped wave in one step (non-interactive; for build agents and containers). The plan is kept next to the report.")
        {
            connection, strategy, mapping, waveSize, perPartnerMax, shard, runId, fetchXml,
        };
        execution.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var settings = PlanWave.Settings(context, parse.GetValue(strategy)!, parse.GetValue(mapping), parse.GetValue(waveSize), parse.GetValue(perPartnerMax), parse.GetValue(shard), parse.GetValue(runId));
            var options = execution.Parse(parse);
            var filter = parse.GetValue(fetchXml) is { } fetchFile ? Dataverse.AccountFetchFilter.Load(context.Resolve(fetchFile), fetchFile) : null;
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);

            // A resumed run re-applies the plan it started with, not a new one built from today's data.
            var planPath = Path.Combine(context.Resolve(options.JournalDirectory), settings.RunId + ".plan.csv");
            CheckedPlan plan;
            Action? savePlan = null;
            if (File.Exists(planPath))
            {
                plan = PlanReader.Check(planPath);
                await context.Out.WriteLineAsync($"Resuming wave '{settings.RunId}' with its saved plan {planPath}.").ConfigureAwait(false);
            }
            else
            {
                // The new plan goes to the report folder first; it is copied into the journal folder only once the run
                // is going to write, so a dry run or a refused run leaves no plan that a later run would resume.
                var draft = Path.Combine(ApplyRun.ReportFolder(context, options), settings.RunId + ".distribute-plan.csv");
                var written = await PlanWave.WriteAsync(context, client, settings, draft, token, filter).ConfigureAwait(false);
                plan = PlanReader.Check(written.CsvPath);
                savePlan = () =>
                {
                    CopyAtomically(PlanFiles.JsonPathFor(draft), PlanFiles.JsonPathFor(planPath));
                    CopyAtomically(draft, planPath); // the CSV last: its presence is what marks the wave as started
                    context.Out.WriteLine($"Plan saved to {planPath}.");
                };
            }

            return await ApplyRun.ApplyAsync(context, client, plan, options, token, savePlan).ConfigureAwait(false);
        }, cancellationToken));
        return command;
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
