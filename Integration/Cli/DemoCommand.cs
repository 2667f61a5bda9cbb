using System.CommandLine;
using System.Globalization;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Policy.Schema;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// `partnerguard demo`: the whole story on a fresh local org in a folder of its own: the published rules, a deal
/// refused for lack of a partner, a deal that gets the customer's partner attached, a direct deal (each first
/// previewed with pg_CheckChannel as the seller's form shows it, then saved, and the two compared), then a
/// reassignment wave planned, applied and undone with the console's own commands. Everything goes through the
/// Web API client, as it would against Dataverse.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The run id of the demo wave.</summary>
    public const string RunId = "demo-wave-1";

    public static Command Create(CliContext context)
    {
        var output = new Option<string?>("--output")
        {
            Description = "An empty folder for the demo org, plan, journal and reports. Default: a new folder under the system temp folder.",
            HelpName = "dir",
        };
        var waveSize = CommonOptions.PositiveNullable(new Option<int?>("--wave-size") { Description = "Accounts in the demo wave (default 200)." });
        var command = new Command("demo", "Tell the whole PartnerGuard story on a fresh local org with demo data: rules, a blocked deal, an auto-attached partner, a direct deal, then a wave planned, applied and undone.")
        {
            output, waveSize,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            context, token => RunAsync(context, parse.GetValue(output), parse.GetValue(waveSize) ?? 200, token), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? output, int waveSize, CancellationToken cancellationToken)
    {
        var folder = output is null
            ? Path.Combine(Path.GetTempPath(), "partnerguard-demo-" + context.Time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture))
            : context.Resolve(output);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new UsageException($"--output {folder} is not empty; the demo starts from a fresh org. Choose a new or empty folder.");
        }

        Directory.CreateDirectory(folder);
        var say = context.Out;
        using var session = new EmbeddedOrgSession(EmbeddedOrg.FolderFor(folder), say, context.Time);

        // The demo always runs on its own local org: a configured connection is ignored, never written to.
        var demo = new CliContext
        {
            Scrubber = context.Scrubber,
            Out = say,
            Error = context.Error,
            Environment = name => name == ConnectionResolver.EnvironmentVariable ? null : context.Environment(name),
            Time = context.Time,
            WorkingDirectory = folder,
            CanPrompt = false,
            WebApi = context.WebApi,
            EmbeddedOrg = session.ConnectAsync,
        };

        await say.WriteLineAsync($"PartnerGuard demo, in {folder}").ConfigureAwait(false);
        await Step(say, 1, "Create a fresh local org: load the PartnerGuard solution (tables, settings, plugin steps) and seed the demo data set.").ConfigureAwait(false);
        var org = session.Open();
        var client = await DataverseConnector.ConnectAsync(demo, connection: null, cancellationToken).ConfigureAwait(false);
        await say.WriteLineAsync($"  Enforcement mode: {org.EnforcementMode()} (a deal without a partner or a published exception is refused).").ConfigureAwait(false);

        await Step(say, 2, "The published direct sales rules: the only customers handled direct.").ConfigureAwait(false);
        var rules = await client.GetEntitySetNameAsync(DirectSalesRuleColumns.Table, cancellationToken).ConfigureAwait(false);
        await foreach (var line in client.QueryAsync(
            $"{rules}?$select={DirectSalesRuleColumns.Name},{DirectSalesRuleColumns.Priority},{DirectSalesRuleColumns.Description}&$filter=statecode eq 0&$orderby={DirectSalesRuleColumns.Priority}",
            row => $"  priority {row.GetProperty(DirectSalesRuleColumns.Priority).GetInt32(),3}  {row.GetProperty(DirectSalesRuleColumns.Name).GetString()}: {row.GetProperty(DirectSalesRuleColumns.Description).GetString()}",
            cancellationToken).ConfigureAwait(false))
        {
            await say.WriteLineAsync(line).ConfigureAwait(false);
        }

        var seller = new DemoSeller(client);
        var disagreements = 0;
        await Step(say, 3, $"A seller enters a deal for {DemoDataSet.UncoveredCustomerName} without a partner. No rule covers this customer and no partner owns it.").ConfigureAwait(false);
        var (blocked, agreed) = await PreviewThenSaveAsync(demo, seller, DemoDataSet.UncoveredCustomerName, "Fleet telematics", cancellationToken).ConfigureAwait(false);
        disagreements += agreed ? 0 : 1;
        await say.WriteLineAsync(blocked.Error is { } refusal
            ? $"  Refused (HTTP {(int)refusal.Status}), nothing saved. The seller reads:\n  \"{refusal.Message}\""
            : $"  Saved, channel {blocked.Channel}: {blocked.Reason} (the org is not in Enforce mode)").ConfigureAwait(false);
        await Agreement(demo, agreed).ConfigureAwait(false);

        await Step(say, 4, $"A seller enters a deal for {DemoDataSet.AssignedCustomerName} without a partner. The customer already belongs to {DemoDataSet.AssignedPartnerName}.").ConfigureAwait(false);
        (var attached, agreed) = await PreviewThenSaveAsync(demo, seller, DemoDataSet.AssignedCustomerName, "Patient portal", cancellationToken).ConfigureAwait(false);
        disagreements += agreed ? 0 : 1;
        await say.WriteLineAsync(Outcome(attached)).ConfigureAwait(false);
        await Agreement(demo, agreed).ConfigureAwait(false);

        await Step(say, 5, $"A seller enters a deal for {DemoDataSet.EnterpriseCustomerName} without a partner. The customer's annual revenue is 2,300,000,000.").ConfigureAwait(false);
        (var direct, agreed) = await PreviewThenSaveAsync(demo, seller, DemoDataSet.EnterpriseCustomerName, "Grid analytics", cancellationToken).ConfigureAwait(false);
        disagreements += agreed ? 0 : 1;
        await say.WriteLineAsync(Outcome(direct)).ConfigureAwait(false);
        await Agreement(demo, agreed).ConfigureAwait(false);

        var plan = "demo-wave-1.csv";
        await Step(say, 6, $"Plan a wave: up to {waveSize} eligible customers (active, not partners, no partner yet, no direct rule) shared among partners by capacity.").ConfigureAwait(false);
        var code = await RunConsoleAsync(demo, cancellationToken, "plan", "--strategy", "balanced", "--max-accounts", waveSize.ToString(CultureInfo.InvariantCulture), "--run-id", RunId, "--out", plan).ConfigureAwait(false);
        if (code != ExitCodes.Done)
        {
            return code;
        }

        await Step(say, 7, "Apply the reviewed plan: each account gets its partner, in batches, with a journal that makes the run resumable and undoable.").ConfigureAwait(false);
        code = await RunConsoleAsync(demo, cancellationToken, "apply", "--plan", plan, "--yes").ConfigureAwait(false);
        if (code != ExitCodes.Done)
        {
            return code;
        }

        await Step(say, 8, "Undo the wave: every account changed by the run gets its previous partner back.").ConfigureAwait(false);
        code = await RunConsoleAsync(demo, cancellationToken, "undo", "--run", RunId, "--yes").ConfigureAwait(false);
        if (code != ExitCodes.Done)
        {
            return code;
        }

        session.Save();
        await say.WriteLineAsync().ConfigureAwait(false);
        if (disagreements > 0)
        {
            var alarm = $"PREVIEW DISAGREED WITH THE SAVE for {disagreements} of 3 deals: a seller would have been told the wrong channel. This is a PartnerGuard bug; see the lines marked !! above.";
            await say.WriteLineAsync(alarm).ConfigureAwait(false);
            await demo.Error.WriteLineAsync(alarm).ConfigureAwait(false);
            return ExitCodes.RecordFailures;
        }


        await say.WriteLineAsync($"Done. The demo org, plan, journal and reports are in {folder}.").ConfigureAwait(false);
        await say.WriteLineAsync($"Explore it over HTTP with: cd \"{folder}\" && partnerguard emulator serve --urls http://127.0.0.1:5555").ConfigureAwait(false);
        return ExitCodes.Done;
    }

    private static Task Step(TextWriter say, int number, string text) => say.WriteLineAsync($"{Environment.NewLine}Step {number}. {text}");

    private static string Outcome(SavedDeal deal) => deal.Error is { } error
        ? $"  Refused (HTTP {(int)error.Status}): {error.Message}"
        : $"  Saved. Channel: {deal.Channel}. Reason recorded on the deal: \"{deal.Reason}\"";

    /// <summary>Runs one of the console's own commands in the demo's folder and org, echoing the command line.</summary>
    private static async Task<int> RunConsoleAsync(CliContext demo, CancellationToken cancellationToken, params string[] args)
    {
        await demo.Out.WriteLineAsync("  $ partnerguard " + string.Join(' ', args)).ConfigureAwait(false);
        var parse = PartnerGuardCli.Build(demo).Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = demo.Out, Error = demo.Error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The seller's two moments: the preview the form script shows (pg_CheckChannel, printed with its outcome and
    /// reason), then the save. Returns the save and whether it agreed with the preview; a disagreement is printed
    /// at once, on both outputs.
    /// </summary>
    private static async Task<(SavedDeal Saved, bool Agreed)> PreviewThenSaveAsync(CliContext demo, DemoSeller seller, string customerName, string topic, CancellationToken cancellationToken)
    {
        var preview = await seller.PreviewAsync(customerName, cancellationToken).ConfigureAwait(false);
        var code = preview.Code.Length == 0 ? string.Empty : $" ({preview.Code})";
        await demo.Out.WriteLineAsync($"  Preview before saving (pg_CheckChannel, what the form shows): {preview.Outcome}{code}. Reason: \"{preview.Reason}\"").ConfigureAwait(false);
        var saved = await seller.SaveAsync(customerName, topic, cancellationToken).ConfigureAwait(false);
        if (DemoSeller.Disagreement(preview, saved) is { } difference)
        {
            var alarm = $"  !! THE SAVE DISAGREED WITH THE PREVIEW: {difference}.";
            await demo.Out.WriteLineAsync(alarm).ConfigureAwait(false);
            await demo.Error.WriteLineAsync(alarm.Trim()).ConfigureAwait(false);
            return (saved, false);
        }

        return (saved, true);
    }

    private static Task Agreement(CliContext demo, bool agreed) =>
        agreed ? demo.Out.WriteLineAsync("  The save agreed with the preview.") : Task.CompletedTask;
}
