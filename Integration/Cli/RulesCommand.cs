using System.CommandLine;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Reports;
using PartnerGuard.Integration.Domain.Transparency;
using PartnerGuard.Policy;

namespace PartnerGuard.Integration.Cli;

/// <summary>`partnerguard rules export|import|validate FILE`: the direct sales rules as JSON for review in source control.</summary>
internal static class RulesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("rules", "The direct sales rules as a JSON document for review in source control.");
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(Import(context));
        command.Subcommands.Add(Validate(context));
        command.Subcommands.Add(RulesPublishCommand.Create(context));
        return command;
    }

    /// <summary>Reads and validates a rules file; every problem is named with its JSON path (or line and column) → exit 1.</summary>
    public static IReadOnlyList<DirectSalesRuleDraft> ReadValid(CliContext context, string file)
    {
        var path = PathCheck.InputFile(context, "The rules file", file);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"The rules file '{file}' cannot be read: {error.Message}", error);
        }

        var (rules, problems) = RulesDocument.Read(text);
        if (problems.Count > 0)
        {
            throw new UsageException(
                $"{file} has {problems.Count} problem{(problems.Count == 1 ? string.Empty : "s")}; nothing was written:"
                + string.Concat(problems.Select(p => "\n  " + p)));
        }

        return rules;
    }

    private static Argument<string> FileArgument(string description) => new("file") { Description = description };

    private static Command Validate(CliContext context)
    {
        var file = FileArgument("The rules document to check.");
        var command = new Command("validate", "Check a rules document with the validation the rule plugin applies; names every problem with its JSON path. Needs no connection.") { file };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var rules = ReadValid(context, parse.GetValue(file)!);
            await context.Out.WriteLineAsync($"{parse.GetValue(file)}: {rules.Count} rule{(rules.Count == 1 ? string.Empty : "s")}, all valid ({rules.Count(r => r.IsActive)} active).").ConfigureAwait(false);
            return ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    private static Command Export(CliContext context)
    {
        var file = FileArgument("Where to write the rules document (JSON).");
        var connection = CommonOptions.Connection();
        var command = new Command("export", "Write every direct sales rule (active and inactive) as a JSON document: stable order and formatting, kinds and measures by name, countries as ISO codes.") { file, connection };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var target = PathCheck.OutputFile(context, "The export file", parse.GetValue(file)!);

            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var rules = await new TransparencySource(client).ReadRulesAsync(token).ConfigureAwait(false);
            var text = RulesDocument.Write(rules);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, text, new System.Text.UTF8Encoding(false), token).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Exported {rules.Count} direct sales rules ({rules.Count(r => r.IsActive)} active) to {target}.").ConfigureAwait(false);
            return ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    private static Command Import(CliContext context)
    {
        var file = FileArgument("The rules document to import.");
        var connection = CommonOptions.Connection();
        var output = CommonOptions.Output();
        var yes = new Option<bool>("--yes") { Description = "Write the changes. Without it, only the diff is shown and nothing is written." };
        var deleteMissing = new Option<bool>("--delete-missing") { Description = "Also delete rules that are in Dataverse but not in the file (they are only reported otherwise)." };
        var command = new Command("import", "Make the org's direct sales rules match a JSON document: match by rule id, else by name; show added, changed (field before → after), unchanged and rules missing from the file; write only with --yes.")
        {
            file, connection, output, yes, deleteMissing,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async token =>
        {
            var incoming = ReadValid(context, parse.GetValue(file)!);
            ReportFolder.Check(context, parse.GetValue(output));
            var client = await DataverseConnector.ConnectAsync(context, parse.GetValue(connection), token).ConfigureAwait(false);
            var stored = await new TransparencySource(client).ReadRulesAsync(token).ConfigureAwait(false);
            var diff = RulesDiff.Compute(incoming, stored);
            var delete = parse.GetValue(deleteMissing);
            foreach (var change in diff.Added.Concat(diff.Changed))
            {
                await context.Out.WriteLineAsync($"{(change.Change == "added" ? "+" : "~")} {change.Change} '{change.Name}' ({change.Id:D})").ConfigureAwait(false);
                foreach (var field in change.Fields)
                {
                    await context.Out.WriteLineAsync($"      {field.Field}: {Show(field.Before)} → {Show(field.After)}").ConfigureAwait(false);
                }
            }

            foreach (var missing in diff.Missing)
            {
                await context.Out.WriteLineAsync($"{(delete ? "-" : "!")} in the org, missing from the file: '{missing.Name}' ({missing.Id:D}){(delete ? " — will be deleted (--delete-missing)" : " — kept")}").ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync($"{diff.Added.Count} added, {diff.Changed.Count} changed, {diff.Unchanged.Count} unchanged, {diff.Missing.Count} in the org but missing from the file.").ConfigureAwait(false);
            var pending = diff.HasChanges || (delete && diff.Missing.Count > 0);
            var written = false;
            var deleted = 0;
            if (!pending)
            {
                await context.Out.WriteLineAsync("No changes to write.").ConfigureAwait(false);
            }
            else if (!parse.GetValue(yes))
            {
                await context.Out.WriteLineAsync("Nothing written. Review the changes above, then run the same command with --yes to write them.").ConfigureAwait(false);
            }
            else
            {
                deleted = await new RuleStore(client).ApplyAsync(diff, stored, delete, token).ConfigureAwait(false);
                written = true;
                await context.Out.WriteLineAsync($"Written: {diff.Added.Count} added, {diff.Changed.Count} changed{(delete ? $", {deleted} deleted" : string.Empty)}.").ConfigureAwait(false);
            }

            var folder = ReportFolder.Create(context, parse.GetValue(output), "rules-import");
            var report = new RulesImportReport(
                context.Time.GetUtcNow().UtcDateTime,
                parse.GetValue(file)!,
                written,
                delete,
                new RulesImportCounts(diff.Added.Count, diff.Changed.Count, diff.Unchanged.Count, diff.Missing.Count, deleted),
                diff);
            var files = RulesImportReportFiles.Write(report, folder);
            await context.Out.WriteLineAsync($"Reports: {folder} ({string.Join(", ", files.Select(Path.GetFileName))})").ConfigureAwait(false);
            return ExitCodes.Done;
        }, cancellationToken));
        return command;
    }

    private static string Show(string? value) => value is null ? "(empty)" : $"'{value}'";
}
