using System.CommandLine;
using PartnerGuard.Integration.Plans;

namespace PartnerGuard.Integration.Commands;

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
        var batchSize = CommonOptions.BatchSize();
        var parallelism = CommonOptions.MaxParallelism();
        var writePath = CommonOptions.WritePathOption();
        var assignOwner = CommonOptions.AssignOwner();
        var journal = CommonOptions.JournalDirectory();
        var output = CommonOptions.Output();
        var attachOpportunities = Execution.OpportunityAttacher.Option();
        var fetchXml = Dataverse.AccountFetchFilter.Option();
        var dryRun = CommonOptions.DryRun();
        var yes = CommonOptions.Yes();

        var command = new Command("distribute", "Plan and apply one capped wave in one step (non-interactive; for build agents and containers). The plan is kept next to the report.")
        {
            connection, strategy, mapping, waveSize, perPartnerMax, shard, runId, batchSize, parallelism, writePath, assignOwner, journal, output, dryRun, yes, fetchXml, attachOpportunities,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var settings = PlanStep.Settings(context, parse.GetValue(strategy)!, parse.GetValue(mapping), parse.GetValue(waveSize), parse.GetValue(perPartnerMax), parse.GetValue(shard), parse.GetValue(runId));
            var options = new ExecutionOptions(parse.GetValue(batchSize), parse.GetValue(parallelism), CommonOptions.ParseWritePath(parse.GetValue(writePath)!), parse.GetValue(assignOwner), parse.GetValue(journal)!, parse.GetValue(output), parse.GetValue(dryRun), parse.GetValue(yes), parse.GetValue(attachOpportunities));
            var filter = parse.GetValue(fetchXml) is { } fetchFile ? Dataverse.AccountFetchFilter.Load(context.Resolve(fetchFile), fetchFile) : null;
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);

            // A resumed run re-applies the plan it started with, not a new one built from today's data.
            var planPath = Path.Combine(context.Resolve(options.JournalDirectory), settings.RunId + ".plan.csv");
            Plan plan;
            Action? savePlan = null;
            if (File.Exists(planPath))
            {
                plan = PlanFiles.Read(planPath);
                await context.Out.WriteLineAsync($"Resuming wave '{settings.RunId}' with its saved plan {planPath}.").ConfigureAwait(false);
            }
            else
            {
                plan = (await PlanStep.BuildAsync(context, client, settings, token, filter).ConfigureAwait(false)).Plan;

                // Saved only once the run is going to write: a dry run or a refused run leaves no plan that a later run would resume.
                var built = plan;
                savePlan = () =>
                {
                    PlanFiles.Write(built, planPath);
                    context.Out.WriteLine($"Plan saved to {planPath}.");
                };
            }

            return await ApplyStep.ApplyAsync(context, client, plan, options, token, savePlan).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
