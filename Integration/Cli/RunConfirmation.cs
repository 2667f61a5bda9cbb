using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Execution;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// The gate before a run's first write. A dry run reads the accounts, says what each would get, writes its report and
/// stops (<see cref="DryRun"/>); --yes goes on; at a terminal the person is asked; without one the command refuses
/// (a scheduled job must say --yes).
/// </summary>
internal static class RunConfirmation
{
    /// <summary>True when the run may write.</summary>
    public static async Task<bool> ConfirmAsync(
        CliContext context,
        DataverseWebApiClient client,
        RunKind kind,
        RunInput input,
        RunSettings settings,
        CancellationToken cancellationToken)
    {
        var org = client.ApiRoot.GetLeftPart(UriPartial.Authority);
        var verb = kind == RunKind.Undo ? "Undo" : "Apply";
        if (settings.DryRun)
        {
            await DryRun.PreviewAsync(context.UseCase, client, kind, input, settings, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (settings.Yes || input.Count == 0)
        {
            return true;
        }

        if (!context.CanPrompt)
        {
            throw new UsageException($"{verb} {input.Count} changes to {org}: no one is at a terminal to confirm, so nothing was written. Pass --yes to write without asking (or --dry-run to see what would change).");
        }

        await context.Out.WriteLineAsync($"Run '{input.RunId}' ({kind.Operation}) is about to change {input.Count} accounts in {org}:").ConfigureAwait(false);
        await RunBreakdown.WriteAsync(context.Out, input.AccountsPerPartner).ConfigureAwait(false);
        await context.Out.WriteAsync($"{verb} {input.Count} changes to {org}? [y/N] ").ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = (await context.In.ReadLineAsync(cancellationToken).ConfigureAwait(false))?.Trim();
        if (string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        await context.Out.WriteLineAsync("Not confirmed: nothing was written.").ConfigureAwait(false);
        return false;
    }
}
