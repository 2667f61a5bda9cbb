using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins;

/// <summary>
/// The one plug-in skeleton: every PartnerGuard plug-in enters here. <see cref="Execute"/> starts a
/// <see cref="PluginRun"/> (context, entry trace), hands it to the adapter's <see cref="Run"/>, and is the catch
/// boundary: a catalogued <see cref="InvalidPluginExecutionException"/> passes through unchanged, anything else
/// is traced in full and becomes PG-902; the exit trace is written either way. The run is passed in, never
/// looked up, and nothing is stored on the instance (the platform reuses plug-in instances across threads).
/// </summary>
public abstract class PluginBase : IPlugin
{
    private readonly string _pluginName;
    private readonly string _check;

    /// <param name="pluginName">The name the trace lines carry.</param>
    /// <param name="check">What the plug-in checks, in words, for the PG-901 message.</param>
    protected PluginBase(string pluginName, string check)
    {
        _pluginName = pluginName;
        _check = check;
    }

    public void Execute(IServiceProvider serviceProvider)
    {
        var run = PluginRun.Start(serviceProvider, _pluginName, _check);
        try
        {
            Run(run);
        }
        catch (InvalidPluginExecutionException)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw run.Unexpected(exception);
        }
        finally
        {
            run.Exit();
        }
    }

    /// <summary>The adapter's work for one execution.</summary>
    private protected abstract void Run(PluginRun run);
}
