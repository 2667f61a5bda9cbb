using System.Globalization;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Planning;
using PartnerGuard.Integration.WebApi;

namespace PartnerGuard.Integration.Commands;

/// <summary>The planning work shared by `plan` and `distribute`: read candidates over the Web API and build the plan.</summary>
internal static class PlanStep
{
    /// <summary>Input checks that need no server: done before connecting, so bad input writes nothing.</summary>
    public static PlanSettings Settings(CliContext context, string strategy, string? mapping, int? maxAccounts, int? perPartnerMax, string? shard, string? runId)
    {
        var chosen = CommonOptions.ParseStrategy(strategy);
        if (chosen == PlanStrategy.Mapping && mapping is null)
        {
            throw new Cli.UsageException("--strategy mapping needs --mapping FILE (a CSV with partner_id and account_id or account_number).");
        }

        if (chosen != PlanStrategy.Mapping && mapping is not null)
        {
            throw new Cli.UsageException($"--mapping only applies to --strategy mapping (not {strategy}).");
        }

        var now = context.Time.GetUtcNow();
        var id = runId ?? "pg-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Plans.Plan.ValidateRunId(id, "--run-id");
        return new PlanSettings(
            id,
            new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            chosen,
            maxAccounts,
            perPartnerMax,
            shard is null ? null : Shard.Parse(shard),
            mapping is null ? null : MappingTable.Read(context.Resolve(mapping)));
    }

    public static async Task<PlanBuildResult> BuildAsync(CliContext context, DataverseWebApiClient client, PlanSettings settings, CancellationToken cancellationToken, AccountFetchFilter? filter = null)
    {
        var source = new PlanningSource(client);
        var channel = await source.ReadSettingsAsync(cancellationToken).ConfigureAwait(false);
        if (channel.Problem is not null)
        {
            throw new Cli.UsageException($"The PartnerGuard settings in Dataverse cannot be used: {channel.Problem}");
        }

        var rules = await source.ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        var (accounts, partners) = await source.ReadCandidatesAsync(channel, cancellationToken).ConfigureAwait(false);
        if (filter is not null)
        {
            // Narrows the candidates only: partners' current counts (fair shares) still cover every account.
            var matching = await filter.ReadAccountIdsAsync(client, cancellationToken).ConfigureAwait(false);
            var before = accounts.Count;
            accounts = accounts.Where(a => matching.Contains(a.Id)).ToList();
            await context.Out.WriteLineAsync($"--fetch-xml {filter.File} matches {matching.Count} accounts; {accounts.Count} of {before} candidates remain.").ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"Read {accounts.Count} candidate accounts, {partners.Count} active partners and {rules.Count} active direct sales rules.").ConfigureAwait(false);
        var coverage = new PolicyDirectSalesCoverage(rules, channel, settings.CreatedOn);
        var result = PlanBuilder.Build(accounts, partners, settings, coverage);
        await context.Out.WriteLineAsync($"Planned {result.Plan.Rows.Count} accounts for {result.Plan.Rows.Select(r => r.NewPartnerId).Distinct().Count()} partners ({PlanBuilder.Name(settings.Strategy)}); {result.Unplanned.Count} left out.").ConfigureAwait(false);
        foreach (var group in result.Unplanned.GroupBy(u => u.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(10))
        {
            await context.Out.WriteLineAsync($"  {group.Count(),6}  {group.Key}").ConfigureAwait(false);
        }

        return result;
    }
}
