using System.CommandLine;

using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.App;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard plan`: select eligible accounts, choose partners, write a reviewable plan (CSV + JSON).</summary>
internal static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var planning = new PlanOptionSet(CommonOptions.PositiveNullable(new Option<int?>("--max-accounts") { Description = "At most this many accounts in the plan (the wave size)." }));
        var output = new Option<string?>("--out") { Description = "The plan CSV to write; the same plan as JSON is written beside it. Default: <run id>.csv.", HelpName = "file" };

        var command = new Command("plan", "Plan a reassignment wave: eligible accounts, a partner for each, and one reason per row. Writes nothing to Dataverse.")
        {
            connection,
        };
        planning.AddTo(command);
        command.Options.Add(output);
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var settings = PlanWave.Settings(planning.Bind(parse, context), context.Time.GetUtcNow());
            var target = context.Resolve(parse.GetValue(output) ?? settings.RunId + ".csv");
            if (!target.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                throw new Domain.UsageException($"--out must name a .csv file (the JSON goes beside it); got '{parse.GetValue(output)}'.");
            }

            var given = parse.GetValue(output) ?? target;
            PathCheck.OutputFile(context, "--out", given);
            PathCheck.OutputFile(context, "--out", Path.ChangeExtension(given, ".json"));

            var filter = planning.FetchFilter(parse, context);
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var written = await PlanWave.WriteAsync(context.UseCase, client, settings, target, token, filter).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Plan '{written.RunId}' written to {written.CsvPath} and {written.JsonPath}. Review it, then run: partnerguard apply --plan \"{written.CsvPath}\"").ConfigureAwait(false);
            return Domain.ExitCodes.Done;
        }, cancellationToken));
        return command;
    }
}
