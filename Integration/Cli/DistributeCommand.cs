using System.CommandLine;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Planning;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard distribute`: plan and apply one wave in one step, for scheduled jobs.</summary>
internal static class DistributeCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var planning = new PlanOptionSet(CommonOptions.PositiveNullable(new Option<int?>("--wave-size") { Description = "At most this many accounts in this wave.", Required = true }));
        var execution = CommonOptions.Execution();

        var command = new Command("distribute", "Plan and apply one capped wave in one step (non-interactive; for build agents and containers). The plan is kept next to the report.")
        {
            connection,
        };
        planning.AddTo(command);
        execution.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var options = planning.Bind(parse, context);
            var settings = PlanWave.Settings(options, context.Time.GetUtcNow());
            var run = execution.Bind(parse, context);
            if (options.RunId is null && DistributeWave.UnfinishedWave(run.JournalFolder, PlanBuilder.Header(settings)) is { } unfinished)
            {
                // A scheduled job's command line has no run id: finish the interrupted wave first (issue #12 defect 3).
                await context.Out.WriteLineAsync($"Wave '{unfinished}' in {run.JournalFolder} did not finish; finishing it (as --run-id {unfinished} would) before any new wave is planned.").ConfigureAwait(false);
                settings = settings with { RunId = unfinished };
            }

            var filter = planning.FetchFilter(parse, context);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);

            var wave = await DistributeWave.PlanAsync(context.UseCase, client, settings, run, filter, token).ConfigureAwait(false);
            var apply = new ApplyRun(context.UseCase, client, run, new RunProgress(context));
            var prepared = await apply.PrepareAsync(wave.Plan, token).ConfigureAwait(false);
            if (!await RunConfirmation.ConfirmAsync(context, client, RunKind.Apply, prepared.Input, run, token).ConfigureAwait(false))
            {
                return ExitCodes.Done;
            }

            DistributeWave.SavePlan(context.UseCase, wave);
            return await apply.ApplyPlanAsync(prepared, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
