using System.Globalization;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Policy;
using PartnerGuard.Integration.Dataverse.WebApi;

namespace PartnerGuard.Integration.App;

/// <summary>The planning work shared by `plan` and `distribute`: stream candidates over the Web API into the plan files.</summary>
internal static class PlanWave
{
    /// <summary>
    /// The plan's settings from the bound options (<see cref="PlanOptions"/>): the run id (given, or pg-&lt;UTC date and
    /// time&gt;), its time truncated to the second, the shard and the mapping table. Reads no server.
    /// </summary>
    public static PlanSettings Settings(PlanOptions options, DateTimeOffset now) => new(
        options.RunId ?? "pg-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
        Clock.ToSecond(now),
        options.Strategy,
        options.MaxAccounts,
        options.PerPartnerMax,
        options.Shard is null ? null : Shard.Parse(options.Shard),
        options.MappingFile is null ? null : MappingTable.Read(options.MappingFile));

    /// <summary>
    /// Plans straight into FILE.csv and FILE.json (<paramref name="csvPath"/> and the JSON beside it): reads the
    /// settings, rules, partners and named hierarchies, then streams the candidate accounts through the planner,
    /// each planned row going to both files as it is decided. Both files are written under temporary names and
    /// moved into place only when planning finished, so a failure or cancellation leaves no plan. Prints the
    /// summary `plan` prints.
    /// </summary>
    public static async Task<PlanWritten> WriteAsync(UseCaseContext context, DataverseWebApiClient client, PlanSettings settings, string csvPath, CancellationToken cancellationToken, AccountFetchFilter? filter = null)
    {
        var (source, channel, rules, partners, hierarchies) = await ReadInputsAsync(client, cancellationToken).ConfigureAwait(false);
        PlanSummary summary;
        using (var sink = new PlanFileSink(csvPath, PlanBuilder.Header(settings)))
        {
            summary = await PlanAsync(context, source, channel, rules, partners, hierarchies, settings, sink, filter, cancellationToken).ConfigureAwait(false);
            sink.Commit();
        }

        await ReportUnmatchedMappingAsync(context, settings, summary, csvPath, filter).ConfigureAwait(false);

        return new PlanWritten(settings.RunId, Path.GetFullPath(csvPath), Path.GetFullPath(PlanFiles.JsonPathFor(csvPath)), summary.Rows, summary.Partners);
    }

    /// <summary>
    /// The mapping rows whose account was not among the candidates read (issue #12 defect 7): counted and shown (the
    /// first ten) in the output, all of them in FILE.mapping-unmatched.csv beside the plan.
    /// </summary>
    private static async Task ReportUnmatchedMappingAsync(UseCaseContext context, PlanSettings settings, PlanSummary summary, string csvPath, AccountFetchFilter? filter)
    {
        if (settings.Mapping is not { } mapping)
        {
            return;
        }

        if (summary.UnmatchedMapping is not { } unmatched)
        {
            await context.Out.WriteLineAsync($"The rows of {mapping.FileName} were not all checked against the accounts: the wave filled before every account was read.").ConfigureAwait(false);
            return;
        }

        if (unmatched.Count == 0)
        {
            return;
        }

        var report = Path.ChangeExtension(Path.GetFullPath(csvPath), ".mapping-unmatched.csv");
        var key = mapping.ByAccountNumber ? MappingTable.AccountNumberColumn : MappingTable.AccountIdColumn;
        using (var csv = Reports.CsvReport.Open(report, ["line", key, MappingTable.PartnerIdColumn]))
        {
            foreach (var row in unmatched)
            {
                csv.Write(row.Line.ToString(CultureInfo.InvariantCulture), row.Account, row.Partner.ToString("D", CultureInfo.InvariantCulture));
            }
        }

        var outside = filter is null ? string.Empty : ", outside --fetch-xml";
        await context.Out.WriteLineAsync($"{unmatched.Count} of {mapping.Count} rows of {mapping.FileName} matched no account that could be planned (no such account, inactive, or it already has a partner{outside}); they are listed in {report}:").ConfigureAwait(false);
        foreach (var row in unmatched.Take(10))
        {
            await context.Out.WriteLineAsync($"  line {row.Line}: {key} {row.Account}").ConfigureAwait(false);
        }

        if (unmatched.Count > 10)
        {
            await context.Out.WriteLineAsync($"  … and {unmatched.Count - 10} more").ConfigureAwait(false);
        }
    }

    private static async Task<(PlanningSource Source, ChannelSettings Channel, CompiledRuleSet Rules, List<PartnerCandidate> Partners, NamedHierarchies Hierarchies)> ReadInputsAsync(DataverseWebApiClient client, CancellationToken cancellationToken)
    {
        var source = new PlanningSource(client);
        var channel = await source.ReadSettingsAsync(cancellationToken).ConfigureAwait(false);
        if (channel.Problem is not null)
        {
            throw new Domain.UsageException($"The PartnerGuard settings in Dataverse cannot be used: {channel.Problem}");
        }

        var rules = await source.ReadRulesAsync(cancellationToken).ConfigureAwait(false);
        if (rules.Problem is not null)
        {
            throw new Domain.UsageException($"The direct sales rules cannot be used: {rules.Problem}");
        }

        var partners = await source.ReadPartnersAsync(channel, cancellationToken).ConfigureAwait(false);
        var hierarchies = await source.ReadNamedHierarchiesAsync(rules, cancellationToken).ConfigureAwait(false);
        return (source, channel, rules, partners, hierarchies);
    }

    private static async Task<PlanSummary> PlanAsync(
        UseCaseContext context, PlanningSource source, ChannelSettings channel, CompiledRuleSet rules, List<PartnerCandidate> partners, NamedHierarchies hierarchies,
        PlanSettings settings, IPlanSink sink, AccountFetchFilter? filter, CancellationToken cancellationToken)
    {
        var coverage = new PolicyDirectSalesCoverage(rules, channel, settings.CreatedOn);
        var accounts = source.ReadCandidatesAsync(channel, partners, hierarchies, filter, cancellationToken);
        var summary = await PlanBuilder.BuildAsync(accounts, partners, settings, sink, coverage, cancellationToken).ConfigureAwait(false);
        var read = summary.WaveFullAt is { } full
            ? $"Read {summary.Read} candidate accounts (the wave filled at {full} with --max-accounts; later accounts were not read)"
            : $"Read {summary.Read} candidate accounts";
        if (filter is not null)
        {
            read += $" matching --fetch-xml {filter.File}";
        }

        await context.Out.WriteLineAsync($"{read}, {summary.ActivePartners} active partners and {rules.Count} active direct sales rules.").ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Planned {summary.Rows} accounts for {summary.Partners} partners ({PlanBuilder.Name(settings.Strategy)}); {summary.Unplanned} left out.").ConfigureAwait(false);
        foreach (var (reason, count) in summary.UnplannedByReason.Take(10))
        {
            await context.Out.WriteLineAsync($"  {count,6}  {reason}").ConfigureAwait(false);
        }

        return summary;
    }
}

/// <summary>
/// The planning options of `plan` and `distribute`, bound once by the console (<c>Cli.PlanOptionSet</c>), which has
/// already checked the strategy against the mapping file and the run id. <see cref="MappingFile"/> is absolute.
/// </summary>
internal sealed record PlanOptions(PlanStrategy Strategy, string? MappingFile, int? MaxAccounts, int? PerPartnerMax, string? Shard, string? RunId);

/// <summary>A plan written by <see cref="PlanWave.WriteAsync"/>: its run id, both files, its row and partner counts.</summary>
internal sealed record PlanWritten(string RunId, string CsvPath, string JsonPath, int Rows, int Partners);
