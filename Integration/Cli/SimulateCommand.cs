using System.CommandLine;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Reports;
using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard simulate --rules FILE`: what a draft rule set would change, before an admin activates it.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var output = CommonOptions.Output();
        var rules = new Option<string>("--rules")
        {
            Description = "A rules document (as `rules export` writes it) holding the draft rule set.",
            Required = true,
            HelpName = "file",
        };
        var command = new Command("simulate", "Evaluate a draft rule set with the plugin's own channel policy against current accounts and open deals, and report what would change against the active rules. Writes nothing to Dataverse.")
        {
            rules, connection, output,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var draft = RulesCommand.ReadValid(context, parse.GetValue(rules)!);
            ReportFolder.Check(context, parse.GetValue(output));
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var org = await new TransparencySource(client).ReadAsync(context.Time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
            var report = Simulation.Run(org, draft);
            var folder = ReportFolder.Create(context, parse.GetValue(output), "simulate");
            var files = SimulationReportFiles.Write(report, folder);
            await context.Out.WriteLineAsync($"Simulated {report.DraftRules} draft rules against {report.ActiveRules} active rules over {report.DealsEvaluated} open deals and {report.AccountsEvaluated} customers.").ConfigureAwait(false);
            foreach (var (name, change) in SimulationReportFiles.Changes(report))
            {
                await context.Out.WriteLineAsync($"  {change.Count,6}  {Label(name)} ({AuditCommand.Money(change.Value)})").ConfigureAwait(false);
                foreach (var sample in change.Samples.Take(3))
                {
                    await context.Out.WriteLineAsync($"          {sample.Name}: {sample.Now} → {sample.Draft}. {sample.ReasonDraft}").ConfigureAwait(false);
                }
            }

            await context.Out.WriteLineAsync($"Reports: {folder} ({string.Join(", ", files.Select(Path.GetFileName))})").ConfigureAwait(false);
            return Domain.ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    private static string Label(string name) => name switch
    {
        "newlyDirect" => "deals would become direct",
        "noLongerDirect" => "deals would no longer be direct (blocked on their next save)",
        "directByAnotherRule" => "deals would stay direct under another rule",
        "leavePool" => "accounts would leave the reassignment pool",
        _ => "accounts would join the reassignment pool",
    };
}
