using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator.Pipeline;

/// <summary>One message on one table as plugin steps see it (bulk requests add one per item).</summary>
internal sealed class Invocation
{
    public required string Message { get; init; }
    public required TableMetadata Table { get; init; }
    public required ParameterCollection Input { get; init; }
    public ParameterCollection Output { get; } = new();
    public Guid PrimaryId { get; set; }
    public Row? PreRow { get; init; }
    public Row? PostRow { get; set; }
    public Row?[]? PreRows { get; init; }
    public Row?[]? PostRows { get; set; }

    /// <summary>A one-item operation list.</summary>
    public List<Invocation> Alone() => new() { this };
}
