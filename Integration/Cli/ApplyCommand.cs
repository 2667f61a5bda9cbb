using System.CommandLine;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard apply --plan FILE`: execute a reviewed plan, resumably and exactly once.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var plan = new Option<string>("--plan") { Description = "The plan to execute (.csv or .json, as written by 'partnerguard plan').", Required = true, HelpName = "file" };
        var execution = CommonOptions.Execution();

        var command = new Command("apply", "Execute a plan: set each account's partner (and optionally owner) in batches. Interrupted runs resume where they stopped; accounts changed since the plan are skipped.")
        {
            connection, plan,
        };
        execution.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            // The whole file is checked before anything is written or even connected; the run then streams it again.
            var reviewed = PlanReader.Check(PathCheck.InputFile(context, "--plan", parse.GetValue(plan)!));
            var run = execution.Bind(parse, context);
            await context.Out.WriteLineAsync($"Plan '{reviewed.RunId}': {reviewed.Rows} accounts ({reviewed.Header.Strategy}, created {reviewed.Header.CreatedOn:yyyy-MM-dd HH:mm} UTC).").ConfigureAwait(false);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var apply = new ApplyRun(context.UseCase, client, run, new RunProgress(context));
            var prepared = await apply.PrepareAsync(reviewed, token).ConfigureAwait(false);
            if (!await RunConfirmation.ConfirmAsync(context, client, RunKind.Apply, prepared.Input, run, token).ConfigureAwait(false))
            {
                return ExitCodes.Done;
            }

            return await apply.ApplyPlanAsync(prepared, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
