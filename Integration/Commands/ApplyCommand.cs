using System.CommandLine;
using PartnerGuard.Integration.Plans;

namespace PartnerGuard.Integration.Commands;

/// <summary>`partnerguard apply --plan FILE`: execute a reviewed plan, resumably and exactly once.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var plan = new Option<string>("--plan") { Description = "The plan to execute (.csv or .json, as written by 'partnerguard plan').", Required = true, HelpName = "file" };
        var batchSize = CommonOptions.BatchSize();
        var parallelism = CommonOptions.MaxParallelism();
        var writePath = CommonOptions.WritePathOption();
        var assignOwner = CommonOptions.AssignOwner();
        var journal = CommonOptions.JournalDirectory();
        var output = CommonOptions.Output();
        var attachOpportunities = Execution.OpportunityAttacher.Option();
        var dryRun = CommonOptions.DryRun();
        var yes = CommonOptions.Yes();

        var command = new Command("apply", "Execute a plan: set each account's partner (and optionally owner) in batches. Interrupted runs resume where they stopped; accounts changed since the plan are skipped.")
        {
            connection, plan, batchSize, parallelism, writePath, assignOwner, journal, output, dryRun, yes, attachOpportunities,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var reviewed = PlanFiles.Read(context.Resolve(parse.GetValue(plan)!));
            var options = new ExecutionOptions(parse.GetValue(batchSize), parse.GetValue(parallelism), CommonOptions.ParseWritePath(parse.GetValue(writePath)!), parse.GetValue(assignOwner), parse.GetValue(journal)!, parse.GetValue(output), parse.GetValue(dryRun), parse.GetValue(yes), parse.GetValue(attachOpportunities));
            await context.Out.WriteLineAsync($"Plan '{reviewed.RunId}': {reviewed.Rows.Count} accounts ({reviewed.Strategy}, created {reviewed.CreatedOn:yyyy-MM-dd HH:mm} UTC).").ConfigureAwait(false);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            return await ApplyStep.ApplyAsync(context, client, reviewed, options, token).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
