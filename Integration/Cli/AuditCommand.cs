using System.CommandLine;
using System.Globalization;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Reports;
using PartnerGuard.Integration.Domain.Transparency;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard audit`: coverage, leakage, conflicts, distribution and progress, as CSV, JSON and HTML.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var output = CommonOptions.Output();
        var failOn = new Option<string[]>("--fail-on")
        {
            Description = "Exit with code 2 when the audit finds leakage (open deals without a partner or a covering rule) or conflict (a deal's partner differs from the customer's assigned partner). Repeatable.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "leakage|conflict",
        }.AcceptOnlyFromAmong("leakage", "conflict");

        var command = new Command("audit", "Report coverage (share of open pipeline with a partner, direct deals by rule), leakage, channel conflict, load per partner against capacity and the progress of the distribution. Reads only.")
        {
            connection, output, failOn,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            ReportFolder.Check(context, parse.GetValue(output));
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var org = await new TransparencySource(client).ReadAsync(context.Time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
            var report = AuditCalculator.Compute(org);
            var folder = ReportFolder.Create(context, parse.GetValue(output), "audit");
            var files = AuditReportFiles.Write(report, folder);

            var c = report.Coverage;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Coverage: {c.WithPartner.Deals} of {c.Open.Deals} open deals have a partner ({c.DealShareWithPartner:P1}); {Money(c.WithPartner.Value)} of {Money(c.Open.Value)} open pipeline ({c.ValueShareWithPartner:P1}).")).ConfigureAwait(false);
            foreach (var rule in c.DirectByRule)
            {
                await context.Out.WriteLineAsync($"  direct by '{rule.Rule}': {rule.Deals} deals, {Money(rule.Value)}").ConfigureAwait(false);
            }

            foreach (var channel in c.ByChannel.Where(x => x.Channel is "Unresolved" or "Bypassed" && x.Deals > 0))
            {
                await context.Out.WriteLineAsync($"  {channel.Channel}: {channel.Deals} deals, {Money(channel.Value)}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Leakage: {report.Leakage.Total.Deals} open deals without a partner or a covering rule ({Money(report.Leakage.Total.Value)}).").ConfigureAwait(false);
            foreach (var cause in report.Leakage.ByCause)
            {
                await context.Out.WriteLineAsync($"  {cause.Deals,6}  {cause.Cause}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"Conflict: {report.Conflicts.Total.Deals} open deals name a partner other than the customer's assigned partner ({Money(report.Conflicts.Total.Value)}).").ConfigureAwait(false);
            var f = report.Distribution.Fairness;
            await context.Out.WriteLineAsync(f.CappedPartners == 0
                ? $"Distribution: {report.Distribution.Partners.Count} active partners, none with a capacity."
                : string.Create(CultureInfo.InvariantCulture, $"Distribution: {report.Distribution.Partners.Count} active partners; load (customers ÷ capacity) from {f.MinLoad:0.00} to {f.MaxLoad:0.00}, spread {f.LoadSpread:0.00}; {f.OverCapacity} over capacity.")).ConfigureAwait(false);
            var p = report.Progress;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Progress: {p.Assigned} of {p.Customers} customers have a partner ({p.AssignedShare:P1}); {p.CoveredByRule} handled direct by a rule; {p.EligibleLeft} eligible accounts left; {p.Runs} waves run.")).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Reports: {folder} ({string.Join(", ", files.Select(Path.GetFileName))})").ConfigureAwait(false);

            var failOnValues = parse.GetValue(failOn) ?? [];
            var failed = new List<string>();
            if (failOnValues.Contains("leakage") && report.Leakage.Total.Deals > 0)
            {
                failed.Add($"{report.Leakage.Total.Deals} leaking deals");
            }

            if (failOnValues.Contains("conflict") && report.Conflicts.Total.Deals > 0)
            {
                failed.Add($"{report.Conflicts.Total.Deals} deals in conflict");
            }

            if (failed.Count > 0)
            {
                await context.Error.WriteLineAsync($"partnerguard: audit found {string.Join(" and ", failed)} (--fail-on); they are listed in the report.").ConfigureAwait(false);
                return Domain.ExitCodes.RecordFailures;
            }

            return Domain.ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    internal static string Money(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);
}
