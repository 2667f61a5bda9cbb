using System.CommandLine;
using PartnerGuard.Integration.Execution;
using PartnerGuard.Integration.Journal;

namespace PartnerGuard.Integration.Commands;

/// <summary>`partnerguard undo --run ID`: restore exactly what a run changed, skipping accounts changed since.</summary>
internal static class UndoCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var run = new Option<string>("--run") { Description = "The id of the run to undo.", Required = true, HelpName = "id" };
        var batchSize = CommonOptions.BatchSize();
        var parallelism = CommonOptions.MaxParallelism();
        var writePath = CommonOptions.WritePathOption();
        var journal = CommonOptions.JournalDirectory();
        var output = CommonOptions.Output();
        var dryRun = CommonOptions.DryRun();
        var yes = CommonOptions.Yes();

        var command = new Command("undo", "Undo a run: put back each account's prior partner, owner and stamps from the run's journal. Accounts changed after the run are left alone and reported.")
        {
            connection, run, batchSize, parallelism, writePath, journal, output, dryRun, yes,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var runId = parse.GetValue(run)!;
            Plans.Plan.ValidateRunId(runId, "--run");
            var folder = context.Resolve(parse.GetValue(journal)!);
            var applied = RunJournal.ReadOnly(RunJournal.PathFor(folder, runId, RunKind.Apply.Operation));
            var requests = UndoRequests.From(applied);
            if (applied.InDoubt().Any())
            {
                throw new Cli.UsageException($"Run '{runId}' has accounts in doubt (it was interrupted). Resume it with 'partnerguard apply' first, then undo it.");
            }

            var options = new ExecutionOptions(parse.GetValue(batchSize), parse.GetValue(parallelism), CommonOptions.ParseWritePath(parse.GetValue(writePath)!), AssignOwner: false, parse.GetValue(journal)!, parse.GetValue(output), parse.GetValue(dryRun), parse.GetValue(yes));
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            if (!await ApplyStep.ConfirmAsync(context, client, RunKind.Undo, runId, requests, options, token).ConfigureAwait(false))
            {
                return Cli.ExitCodes.Done;
            }

            using var undoJournal = RunJournal.Open(RunJournal.PathFor(folder, runId, RunKind.Undo.Operation), runId, RunKind.Undo.Operation, "undo-of-" + runId, context.Time);
            return await ApplyStep.RunAsync(context, client, undoJournal, RunKind.Undo, runId, requests, options, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
