using System.CommandLine;
using System.Globalization;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Reports;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard rules publish`: the rules of engagement for partners, as HTML and/or Markdown.</summary>
internal static class RulesPublishCommand
{
    public static Command Create(CliContext context)
    {
        var connection = CommonOptions.Connection();
        var output = CommonOptions.Output();
        var format = new Option<string>("--format")
        {
            Description = "html, md, or both (default: both).",
            HelpName = "html|md|both",
            DefaultValueFactory = _ => "both",
        }.AcceptOnlyFromAmong("html", "md", "both");
        var date = new Option<string?>("--date")
        {
            Description = "The document's date (yyyy-MM-dd), on which rules are judged in force, scheduled or ended. Default: the day the newest direct sales rule was last modified, so the same rules give the same bytes.",
            HelpName = "yyyy-MM-dd",
        };
        var command = new Command("publish", "Write the rules of engagement a partner can read: every active and scheduled direct sales rule in plain words, the order they are tried in, how conflicts, assignment and deals without a partner are handled. Stable for the same rules, with a version stamp (a hash of the rules and settings). Reads only.")
        {
            connection, output, format, date,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var day = ParseDay(parse.GetValue(date), "--date");
            var which = parse.GetValue(format) ?? "both";
            ReportFolder.Check(context, parse.GetValue(output));
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var folder = ReportFolder.Create(context, parse.GetValue(output), "rules-publish");
            var (publication, files) = await PublishRules.WriteAsync(
                new TransparencySource(client), day, context.Time.GetUtcNow().UtcDateTime, folder, which is "html" or "both", which is "md" or "both", token).ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Rules of engagement, version {publication.Stamp}, as of {publication.Date:yyyy-MM-dd}: {publication.Rules.Count} rules in force or scheduled, {publication.Expired.Count} ended.")).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Reports: {folder} ({string.Join(", ", files.Select(Path.GetFileName))})").ConfigureAwait(false);

            return ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    /// <summary>A yyyy-MM-dd option value, or null when absent; anything else is a usage error naming the option.</summary>
    public static DateOnly? ParseDay(string? value, string option) =>
        value is null ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new UsageException($"{option} must be a date as yyyy-MM-dd; '{value}' is not.");
}
