using System.CommandLine;

namespace PartnerGuard.Integration.Cli;

/// <summary>The command tree of the `partnerguard` console.</summary>
internal static class PartnerGuardCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "PartnerGuard: keep every deal with a partner and move existing customers to partners in capped, explainable, reversible waves.");
        root.Subcommands.Add(PlanCommand.Create(context));
        root.Subcommands.Add(ApplyCommand.Create(context));
        root.Subcommands.Add(DistributeCommand.Create(context));
        root.Subcommands.Add(UndoCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));
        root.Subcommands.Add(SimulateCommand.Create(context));
        root.Subcommands.Add(RulesCommand.Create(context));
        root.Subcommands.Add(StatementCommand.Create(context));
        root.Subcommands.Add(EmulatorServeCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs; parse errors and --help go to the context's writers. Exit codes: DESIGN §6.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = Build(context).Parse(args);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken).ConfigureAwait(false);
        if (context.Embedded is { } embedded)
        {
            // The embedded local org is saved after each command that wrote to it, and its lock released.
            code = await embedded.CompleteAsync(code, context.Error).ConfigureAwait(false);
        }

        // Flushed even when the run was cancelled (Ctrl+C): the last lines say what was saved.
        await context.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await context.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return code;
    }
}
