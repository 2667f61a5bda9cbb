using System.CommandLine;
using System.Globalization;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Reports;
using Spectre.Console;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard statement --partner ID|--all [--since DATE]`: one statement per partner as HTML, CSV and JSON.</summary>
internal static class StatementCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var output = CommonOptions.Output();
        var partner = new Option<string?>("--partner")
        {
            Description = "The partner account's id: write its statement.",
            HelpName = "ID",
        };
        var all = new Option<bool>("--all")
        {
            Description = "Write a statement for every active partner into one folder, with index.html and index.csv.",
        };
        var since = new Option<string?>("--since")
        {
            Description = "Start of the statement period (yyyy-MM-dd): assignments, direct deals, runs and rule changes from this day on. Totals are always as of now.",
            HelpName = "yyyy-MM-dd",
        };
        var journal = CommonOptions.JournalDirectory();
        journal.Description = "Folder of the run journals (as given to apply, distribute and undo): the customers each partner lost, to which run and when, are read from them; Dataverse keeps only the current assignment.";
        var command = new Command("statement", "Write partner statements: the customers assigned to the partner (when, by which run and strategy), its open deals with channel and value, its customers' deals that went direct and the rule for each, channel conflicts, and its load against capacity compared with the spread across partners. The figures are the audit's. Reads only.")
        {
            connection, output, partner, all, since, journal,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var partnerText = parse.GetValue(partner);
            var everyPartner = parse.GetValue(all);
            if ((partnerText is null) == !everyPartner)
            {
                throw new UsageException("Give either --partner ID or --all.");
            }

            Guid? partnerId = partnerText is null ? null
                : Guid.TryParse(partnerText, out var id) ? id
                : throw new UsageException($"--partner must be an account id (a GUID); '{partnerText}' is not.");
            var sinceDay = RulesPublishCommand.ParseDay(parse.GetValue(since), "--since");
            ReportFolder.Check(context, parse.GetValue(output));
            if (File.Exists(context.Resolve(parse.GetValue(journal)!)))
            {
                throw new UsageException($"--journal-dir '{parse.GetValue(journal)}' is a file; give the folder of the run journals.");
            }

            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var source = new StatementSource(client);
            var org = await source.ReadAsync(context.Time.GetUtcNow().UtcDateTime, token).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Read {org.Accounts} accounts, {org.OpenDeals} open deals and {org.Shared.Runs.Count} runs.")).ConfigureAwait(false);
            var folder = ReportFolder.Create(context, parse.GetValue(output), "statement");
            var result = await WriteStatements.WriteAsync(
                source, org, partnerId, sinceDay, context.Resolve(parse.GetValue(journal)!), folder, new Progress(context), warning => context.Error.WriteLine(warning), token).ConfigureAwait(false);
            foreach (var (who, totals) in result.Partners.Take(partnerId is null ? 0 : 1))
            {
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{who.Name}: {totals.Customers} customers, {totals.OpenDeals} open deals ({AuditCommand.Money(totals.OpenValue)}), {totals.DirectDeals} of its customers' deals direct, {totals.Conflicts} in conflict, {totals.LostInPeriod} customers lost.")).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(partnerId is null
                ? $"{result.Partners.Count} partner statements in {folder} (index.html, index.csv)."
                : $"Statement: {folder} ({string.Join(", ", result.Files.Select(Path.GetFileName))})").ConfigureAwait(false);
            return ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    /// <summary>A bar at a terminal; a line every 100 statements (and at the end) otherwise.</summary>
    private sealed class Progress(CliContext context) : IStatementProgress
    {
        public async Task TrackAsync(int total, Func<IProgress<int>, Task> work)
        {
            if (context.OutputIsTerminal)
            {
                await context.Out.FlushAsync().ConfigureAwait(false);
                var display = (context.Terminal ?? AnsiConsole.Console).Progress();
                display.AutoClear = false;
                await display.StartAsync(async bar =>
                {
                    var task = bar.AddTask("statements", maxValue: Math.Max(total, 1));
                    await work(new Immediate(n => task.Increment(n))).ConfigureAwait(false);
                }).ConfigureAwait(false);
                return;
            }

            var done = 0;
            await work(new Immediate(n =>
            {
                done += n;
                if (done % 100 == 0 || done == total)
                {
                    context.Out.WriteLine($"  statements: {done} of {total} written");
                }
            })).ConfigureAwait(false);
        }
    }
}
