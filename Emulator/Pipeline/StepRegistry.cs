namespace PartnerGuard.Emulator.Pipeline;

/// <summary>
/// The plug-in steps registered on an org, in registration order, and the lookups the pipeline makes over them.
/// Not thread-safe on its own: the org reads it under its gate and changes it under the exclusive lock.
/// </summary>
internal sealed class StepRegistry
{
    private readonly List<PluginStep> _steps = new();

    public int Count => _steps.Count;

    public PluginStep[] ToArray() => _steps.ToArray();

    public void Add(PluginStep step) => _steps.Add(step);

    public void Clear() => _steps.Clear();

    /// <summary>True when an enabled step of any stage or mode is registered for the message on the table (or on every table); names compare case-insensitively.</summary>
    public bool AnySees(string message, string table)
        => _steps.Any(s => s.Enabled
            && string.Equals(s.Message, message, StringComparison.OrdinalIgnoreCase)
            && (s.Table is null || string.Equals(s.Table, table, StringComparison.OrdinalIgnoreCase)));

    /// <summary>True when an enabled step is registered for the message on the table by its logical name (or on every table).</summary>
    public bool AnyFor(string message, string logicalName)
        => _steps.Any(s => s.Enabled && s.Message.Equals(message, StringComparison.OrdinalIgnoreCase) && (s.Table is null || s.Table == logicalName));

    /// <summary>The enabled steps of one stage and mode for a message on a table, by rank, registration order within a rank.</summary>
    public PluginStep[] For(string message, string logicalName, PipelineStage stage, StepMode mode)
    {
        // A stable sort by rank, without LINQ: this runs for every stage of every request.
        List<PluginStep>? found = null;
        foreach (var s in _steps)
        {
            if (s.Enabled && s.Stage == stage && s.Mode == mode
                && string.Equals(s.Message, message, StringComparison.OrdinalIgnoreCase)
                && (s.Table is null || s.Table == logicalName))
            {
                found ??= new List<PluginStep>();
                var at = found.Count;
                while (at > 0 && found[at - 1].Rank > s.Rank)
                {
                    at--;
                }

                found.Insert(at, s);
            }
        }

        return found is null ? Array.Empty<PluginStep>() : found.ToArray();
    }
}
