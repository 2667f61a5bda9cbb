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
        var strategy = CommonOptions.Strategy();
        var mapping = CommonOptions.Mapping();
        var maxAccounts = CommonOptions.PositiveNullable(new Option<int?>("--max-accounts") { Description = "At most this many accounts in the plan (the wave size)." });
        var perPartnerMax = CommonOptions.PerPartnerMax();
        var shard = CommonOptions.Shard();
        var runId = CommonOptions.RunId();
        var fetchXml = CommonOptions.FetchXml();
        var output = new Option<string?>("--out") { Description = "The plan CSV to write; the same plan as JSON is written beside it. Default: <run id>.csv.", HelpName = "file" };

        var command = new Command("plan", "Plan a reassignment wave: eligible accounts, a partner for each, and one reason per row. Writes nothing to Dataverse.")
        {
            connection, strategy, mapping, maxAccounts, perPartnerMax, shard, runId, fetchXml, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var settings = PlanWave.Settings(context, parse.GetValue(strategy)!, parse.GetValue(mapping), parse.GetValue(maxAccounts), parse.GetValue(perPartnerMax), parse.GetValue(shard), parse.GetValue(runId));
            var target = context.Resolve(parse.GetValue(output) ?? settings.RunId + ".csv");
            if (!target.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                throw new Domain.UsageException($"--out must name a .csv file (the JSON goes beside it); got '{parse.GetValue(output)}'.");
            }

            var filter = parse.GetValue(fetchXml) is { } fetchFile ? Dataverse.AccountFetchFilter.Load(context.Resolve(fetchFile), fetchFile) : null;
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var written = await PlanWave.WriteAsync(context, client, settings, target, token, filter).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Plan '{written.RunId}' written to {written.CsvPath} and {written.JsonPath}. Review it, then run: partnerguard apply --plan \"{written.CsvPath}\"").ConfigureAwait(false);
            return Cli.ExitCodes.Done;
        }, cancellationToken));
        return command;
    }
}
