using System.CommandLine;
using PartnerGuard.Integration.App;

namespace PartnerGuard.Integration.Cli;

/// <summary>The execution options of one command (an option belongs to one command), and how to read them.</summary>
internal sealed class ExecutionOptionSet
{
    private readonly Option<int> _batchSize = CommonOptions.BatchSize();
    private readonly Option<int> _parallelism = CommonOptions.MaxParallelism();
    private readonly Option<string> _writePath = CommonOptions.WritePathOption();
    private readonly Option<bool>? _assignOwner;
    private readonly Option<string> _journal = CommonOptions.JournalDirectory();
    private readonly Option<string?> _output = CommonOptions.Output();
    private readonly Option<bool> _dryRun = CommonOptions.DryRun();
    private readonly Option<bool> _yes = CommonOptions.Yes();
    private readonly Option<bool>? _attachOpportunities;

    public ExecutionOptionSet(bool forUndo)
    {
        if (!forUndo)
        {
            _assignOwner = CommonOptions.AssignOwner();
            _attachOpportunities = CommonOptions.AttachOpenOpportunities();
        }
    }

    /// <summary>The options, to add to the command.</summary>
    public IEnumerable<Option> All =>
        new Option?[] { _batchSize, _parallelism, _writePath, _assignOwner, _journal, _output, _dryRun, _yes, _attachOpportunities }.OfType<Option>();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The options as the run's settings, bound once: folders resolved against the working folder and checked (they
    /// can be created and written: exit 1 naming the option otherwise, before the journal or run record exists), and
    /// the report folder chosen now, for the whole run.
    /// </summary>
    public RunSettings Bind(ParseResult parse, CliContext context)
    {
        var journal = PathCheck.OutputFolder(context, "--journal-dir", parse.GetValue(_journal)!);
        var reports = Reports.ReportFolder.ForRun(context.Resolve, parse.GetValue(_output), context.Time.GetUtcNow());
        PathCheck.OutputFolder(context, "--output", parse.GetValue(_output) ?? reports);
        return new(
            parse.GetValue(_batchSize),
            parse.GetValue(_parallelism),
            CommonOptions.ParseWritePath(parse.GetValue(_writePath)!),
            _assignOwner is not null && parse.GetValue(_assignOwner),
            journal,
            reports,
            parse.GetValue(_dryRun),
            parse.GetValue(_yes),
            _attachOpportunities is not null && parse.GetValue(_attachOpportunities));
    }
}
