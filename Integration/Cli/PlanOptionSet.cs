using System.CommandLine;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Domain;
using PartnerGuard.Integration.Domain.Planning;
using PartnerGuard.Integration.Domain.Plans;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// The planning options of `plan` and `distribute` (an option belongs to one command), and how they are bound into
/// <see cref="PlanOptions"/>: the checks that name flags and need no server are made here, before connecting, so bad
/// input writes nothing.
/// </summary>
internal sealed class PlanOptionSet
{
    private readonly Option<string> _strategy = CommonOptions.Strategy();
    private readonly Option<string?> _mapping = CommonOptions.Mapping();
    private readonly Option<int?> _size;
    private readonly Option<int?> _perPartnerMax = CommonOptions.PerPartnerMax();
    private readonly Option<string?> _shard = CommonOptions.Shard();
    private readonly Option<string?> _runId = CommonOptions.RunId();
    private readonly Option<string?> _fetchXml = CommonOptions.FetchXml();

    /// <param name="size">The wave-size option: --max-accounts of plan, --wave-size of distribute.</param>
    public PlanOptionSet(Option<int?> size) => _size = size;

    /// <summary>Adds the options to <paramref name="command"/>, in the order help lists them.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _strategy, _mapping, _size, _perPartnerMax, _shard, _runId, _fetchXml })
        {
            command.Options.Add(option);
        }
    }

    public PlanOptions Bind(ParseResult parse, CliContext context)
    {
        var strategy = parse.GetValue(_strategy)!;
        var mapping = parse.GetValue(_mapping);
        var chosen = CommonOptions.ParseStrategy(strategy);
        if (chosen == PlanStrategy.Mapping && mapping is null)
        {
            throw new UsageException("--strategy mapping needs --mapping FILE (a CSV with partner_id and account_id or account_number).");
        }

        if (chosen != PlanStrategy.Mapping && mapping is not null)
        {
            throw new UsageException($"--mapping only applies to --strategy mapping (not {strategy}).");
        }

        var runId = parse.GetValue(_runId);
        if (runId is not null)
        {
            Plan.ValidateRunId(runId, "--run-id");
        }

        return new PlanOptions(chosen, mapping is null ? null : PathCheck.InputFile(context, "--mapping", mapping), parse.GetValue(_size), parse.GetValue(_perPartnerMax), parse.GetValue(_shard), runId);
    }

    /// <summary>The --fetch-xml filter, read and checked (before connecting); null without the option.</summary>
    public Dataverse.AccountFetchFilter? FetchFilter(ParseResult parse, CliContext context) =>
        parse.GetValue(_fetchXml) is { } file ? Dataverse.AccountFetchFilter.Load(PathCheck.InputFile(context, "--fetch-xml", file), file) : null;
}
