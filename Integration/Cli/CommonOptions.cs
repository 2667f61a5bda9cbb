using System.CommandLine;
using System.CommandLine.Parsing;
using PartnerGuard.Integration.Domain.Plans;
using PartnerGuard.Integration.App;
using PartnerGuard.Integration.Dataverse.Connection;
using PartnerGuard.Integration.Dataverse;
using PartnerGuard.Integration.Domain.Planning;

namespace PartnerGuard.Integration.Cli;

/// <summary>Options shared by several commands, created fresh per command (an option belongs to one command).</summary>
internal static class CommonOptions
{
    public static Option<string?> Connection() => new("--connection")
    {
        Description = $"Dataverse connection string (AuthType=ClientSecret|Certificate|OAuth|ManagedIdentity;Url=…, or AuthType=Emulator;Url=http://127.0.0.1:PORT;User=NAME for emulator serve). Default: the {ConnectionResolver.EnvironmentVariable} environment variable.",
        HelpName = "string",
    };

    /// <summary>
    /// The options of how a run executes, shared by apply, distribute and undo: batch size, parallelism, write path,
    /// journal and report folders, --dry-run, --yes, and (not for undo) --assign-owner and --attach-open-opportunities.
    /// </summary>
    public static ExecutionOptionSet Execution(bool forUndo = false) => new(forUndo);

    public static Option<string> JournalDirectory() => new("--journal-dir")
    {
        Description = "Folder of the run journals that make runs resumable and undoable.",
        DefaultValueFactory = _ => Path.Combine(".partnerguard", "runs"),
        HelpName = "dir",
    };

    public static Option<string?> Output() => new("--output")
    {
        Description = "Folder for reports. Default: a dated folder under ./partnerguard-reports/.",
        HelpName = "dir",
    };

    public static Option<int> BatchSize() => Positive(new Option<int>("--batch-size")
    {
        Description = "Accounts per request (UpdateMultiple targets or $batch operations, at most 1000).",
        DefaultValueFactory = _ => 100,
    }, max: 1000);

    public static Option<int> MaxParallelism() => Positive(new Option<int>("--max-parallelism")
    {
        Description = "Upper bound on parallel requests; the server's x-ms-dop-hint decides below it.",
        DefaultValueFactory = _ => 8,
    }, max: 64);

    public static Option<string> WritePathOption() => new Option<string>("--write-path")
    {
        Description = "How to write: auto (UpdateMultiple where the table supports it, else $batch), update-multiple, or batch.",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "update-multiple", "batch");

    public static WritePath ParseWritePath(string value) => value switch
    {
        "update-multiple" => WritePath.UpdateMultiple,
        "batch" => WritePath.Batch,
        _ => WritePath.Auto,
    };

    public static Option<bool> Yes() => new("--yes")
    {
        Description = "Write without asking. Required when no one is at a terminal (scheduled jobs, CI): without it the command refuses to write.",
    };

    public static Option<bool> DryRun() => new("--dry-run")
    {
        Description = "Read, plan and decide, but write nothing to Dataverse and no journal: print what would change and write a report of it.",
    };

    public static Option<bool> AssignOwner() => new("--assign-owner")
    {
        Description = "Also make the partner's team (pg_partnerteamid) the owner of each account.",
    };

    public static Option<string> Strategy() => new Option<string>("--strategy")
    {
        Description = "How partners are chosen: mapping (a CSV), territory (partners serving the customer's country) or balanced (capacity-weighted fair shares).",
        Required = true,
    }.AcceptOnlyFromAmong("mapping", "territory", "balanced");

    public static PlanStrategy ParseStrategy(string value) => value switch
    {
        "mapping" => PlanStrategy.Mapping,
        "territory" => PlanStrategy.Territory,
        _ => PlanStrategy.Balanced,
    };

    public static Option<string?> Mapping() => new("--mapping")
    {
        Description = "For --strategy mapping: a CSV with partner_id and account_id or account_number columns.",
        HelpName = "file",
    };

    public static Option<int?> PerPartnerMax() => PositiveNullable(new Option<int?>("--per-partner-max")
    {
        Description = "At most this many accounts per partner in this wave.",
    });

    public static Option<string?> Shard() => new("--shard")
    {
        Description = "Plan only shard I of N (e.g. 2/4), split by a stable hash of the account id.",
        HelpName = "I/N",
    };

    /// <summary>--fetch-xml FILE of plan and distribute (read by <see cref="Dataverse.AccountFetchFilter.Load"/>).</summary>
    public static Option<string?> FetchXml() => new("--fetch-xml")
    {
        Description = "Only accounts matching this FetchXML query on account are eligible (e.g. a filter on address1_country). Its columns and order are ignored; link-entity filters are kept.",
        HelpName = "file",
    };

    public static Option<bool> AttachOpenOpportunities() => new("--attach-open-opportunities")
    {
        Description = "After the accounts are assigned, attach each account's new partner to its open opportunities that have no partner (normal updates: the channel plugin records its decision). Deals with a partner and closed deals are left alone. Undo does not detach them.",
    };

    public static Option<string?> RunId() => new("--run-id")
    {
        Description = "The run id (letters, digits, '-', '_', '.'). Default: pg-<UTC date and time>.",
        HelpName = "id",
    };

    public static Option<int?> PositiveNullable(Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out int? value))
            {
                result.AddError($"{option.Name} must be a whole number of at least 1; got '{Given(result)}'.");
            }
            else if (value is < 1)
            {
                result.AddError($"{option.Name} must be a whole number of at least 1.");
            }
        });
        return option;
    }

    private static Option<int> Positive(Option<int> option, int max)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out int value))
            {
                result.AddError($"{option.Name} must be a whole number from 1 to {max}; got '{Given(result)}'.");
                return;
            }

            if (value < 1 || value > max)
            {
                result.AddError($"{option.Name} must be a whole number from 1 to {max}; got {value}.");
            }
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when its text is not a number of that type ("ten", "1.5", "2147483648"): reading
    /// the value then throws, and a validator must report it instead of crashing (the parser's own error stands too).
    /// </summary>
    private static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Given(System.CommandLine.Parsing.OptionResult result) => string.Join(" ", result.Tokens.Select(t => t.Value));
}
