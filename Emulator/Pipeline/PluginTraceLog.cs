namespace PartnerGuard.Emulator.Pipeline;

/// <summary>What plug-ins wrote to ITracingService: the last <see cref="Capacity"/> lines, like the Plug-in Trace Log.</summary>
internal sealed class PluginTraceLog
{
    public const int Capacity = 10_000;

    private readonly List<PluginTraceLine> _lines = new();

    public void Add(PluginStep? step, Guid correlationId, string text)
    {
        _lines.Add(new PluginTraceLine(step?.Name ?? "(none)", correlationId, text));
        if (_lines.Count > Capacity)
        {
            _lines.RemoveRange(0, _lines.Count - Capacity);
        }
    }

    public PluginTraceLine[] ToArray() => _lines.ToArray();
}
