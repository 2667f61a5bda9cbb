using System.CommandLine;
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
            var options = execution.Parse(parse);
            var folder = context.Resolve(options.JournalDirectory);

            // One pass over the apply journal counts what undo would do; the run streams it again.
            var undo = UndoRequests.Scan(RunJournal.PathFor(folder, runId, RunKind.Apply.Operation));
            if (undo.InDoubt > 0)
            {
                throw new Domain.UsageException($"Run '{runId}' has accounts in doubt (it was interrupted). Resume it with 'partnerguard apply' first, then undo it.");
            }

            var input = new RunInput(runId, undo.Requests, undo.Count, undo.AccountsPerPartner);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            if (!await ApplyRun.ConfirmAsync(context, client, RunKind.Undo, input, options, token).ConfigureAwait(false))
            {
                return Cli.ExitCodes.Done;
            }

            using var undoJournal = RunJournal.Open(RunJournal.PathFor(folder, runId, RunKind.Undo.Operation), runId, RunKind.Undo.Operation, "undo-of-" + runId, context.Time);
            return await ApplyRun.RunAsync(context, client, undoJournal, RunKind.Undo, input, options, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
