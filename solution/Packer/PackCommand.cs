namespace PartnerGuard.Packer;

/// <summary>
/// The packer's command line, shared by the console entry (solution/Cli) and its tests.
/// Problems are printed in the canonical "file: error CODE: message" form so that MSBuild reports them as build errors.
/// </summary>
public static class PackCommand
{
    public const string Usage = """
        Packs an unpacked Dataverse solution folder into managed and unmanaged solution zips.

        Usage: PartnerGuard.SolutionPack --source DIR --out DIR [--plugin DLL]... [--plugin-source DIR]... [--flavor both|managed|unmanaged] [--allow-stand-in]

          --source DIR       the unpacked solution (the folder holding Other/Solution.xml)
          --out DIR          where the zips are written (created when missing)
          --plugin DLL       a built plugin assembly; matched to PluginAssemblies/<Name>-<GUID>/ by file name (repeatable)
          --plugin-source DIR  C# source of a plugin assembly, checked against Microsoft's plug-in best practices (repeatable)
          --flavor F         both (default), managed or unmanaged
          --allow-stand-in   pack a plugin built against the offline SDK stand-in anyway; the zips are named
                             *_STANDIN-NOT-DEPLOYABLE.zip and must never be imported

        Exit codes: 0 packed; 1 bad usage or the solution has problems (nothing written).
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        string? sourceDirectory = null;
        string? outputDirectory = null;
        var plugins = new List<string>();
        var pluginSources = new List<string>();
        var allowStandIn = false;
        IReadOnlyList<PackageFlavor> flavors = [PackageFlavor.Unmanaged, PackageFlavor.Managed];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                error.WriteLine($"error PGSOL001: {arg} needs a value.");
                return null;
            }

            switch (arg)
            {
                case "--help" or "-h":
                    output.WriteLine(Usage);
                    return 0;
                case "--source":
                    sourceDirectory = Value();
                    if (sourceDirectory is null) return 1;
                    break;
                case "--out":
                    outputDirectory = Value();
                    if (outputDirectory is null) return 1;
                    break;
                case "--plugin-source":
                    var pluginSource = Value();
                    if (pluginSource is null) return 1;
                    pluginSources.Add(pluginSource);
                    break;
                case "--plugin":
                    var plugin = Value();
                    if (plugin is null) return 1;
                    plugins.Add(plugin);
                    break;
                case "--allow-stand-in":
                    allowStandIn = true;
                    break;
                case "--flavor":
                    var flavor = Value();
                    switch (flavor)
                    {
                        case "both": flavors = [PackageFlavor.Unmanaged, PackageFlavor.Managed]; break;
                        case "managed": flavors = [PackageFlavor.Managed]; break;
                        case "unmanaged": flavors = [PackageFlavor.Unmanaged]; break;
                        default:
                            error.WriteLine($"error PGSOL001: --flavor must be both, managed or unmanaged; got '{flavor}'.");
                            return 1;
                    }

                    break;
                default:
                    error.WriteLine($"error PGSOL001: unknown argument '{arg}'.");
                    error.WriteLine(Usage);
                    return 1;
            }
        }

        if (sourceDirectory is null || outputDirectory is null)
        {
            error.WriteLine("error PGSOL001: --source and --out are required.");
            error.WriteLine(Usage);
            return 1;
        }

        try
        {
            var result = SolutionPacker.Pack(new PackOptions
            {
                SourceDirectory = sourceDirectory,
                OutputDirectory = outputDirectory,
                PluginAssemblyPaths = plugins,
                PluginSourceDirectories = pluginSources,
                AllowNonDeployablePlugin = allowStandIn,
                Flavors = flavors,
            });
            foreach (var warning in result.Warnings)
            {
                error.WriteLine($"warning PGSOL100: {warning}");
            }

            foreach (var file in result.WrittenFiles)
            {
                output.WriteLine($"Packed {file}{(result.NotDeployable ? "  (NOT DEPLOYABLE: built against the SDK stand-in)" : "")}");
            }

            return 0;
        }
        catch (SolutionPackException ex)
        {
            foreach (var problem in ex.Problems)
            {
                var file = Path.IsPathRooted(problem.File) ? problem.File : Path.Combine(Path.GetFullPath(sourceDirectory), problem.File);
                var location = problem.Line is { } line ? $"{file}({line})" : file;
                error.WriteLine($"{location}: error PGSOL002: {problem.Message}");
            }

            error.WriteLine($"error PGSOL002: the solution was not packed ({ex.Problems.Count} problem{(ex.Problems.Count == 1 ? "" : "s")}); nothing was written.");
            return 1;
        }
    }
}
