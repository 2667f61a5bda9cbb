using System.CommandLine;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard undo --run ID`: restore exactly what a run changed, skipping accounts changed since.</summary>
internal static class UndoCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var run = new Option<string>("--run") { Description = "The id of the run to undo.", Required = true, HelpName = "id" };
        var execution = CommonOptions.Execution(forUndo: true);

        var command = new Command("undo", "Undo a run: put back each account's prior partner, owner and stamps from the run's journal. Accounts changed after the run are left alone and reported.")
        {
            connection, run,
        };
        execution.AddTo(command);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var runId = parse.GetValue(run)!;
            Plan.ValidateRunId(runId, "--run");
            var settings = execution.Bind(parse, context);

            // One pass over the apply journal counts what undo would do; the run streams it again.
            var input = ApplyRun.UndoInput(settings.JournalFolder, runId);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            if (!await RunConfirmation.ConfirmAsync(context, client, RunKind.Undo, input, settings, token).ConfigureAwait(false))
            {
                return ExitCodes.Done;
            }

            return await new ApplyRun(context.UseCase, client, settings, new RunProgress(context)).UndoAsync(input, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
