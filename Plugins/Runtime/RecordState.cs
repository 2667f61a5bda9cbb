using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Plugins;

/// <summary>
/// The state under decision: the Target's value where the Target holds the column (an explicit null means
/// the caller cleared it), else the pre-image's value.
/// </summary>
internal sealed class RecordState
{
    private readonly Entity _target;
    private readonly Entity? _preImage;

    public RecordState(Entity target, Entity? preImage)
    {
        _target = target;
        _preImage = preImage;
    }

    public Guid Id => _target.Id;

    /// <summary>True when the Target carries the column (changed by this operation, possibly to null).</summary>
    public bool IsInTarget(string column) => _target.Attributes.Contains(column);

    public object? Value(string column)
    {
        if (_target.Attributes.TryGetValue(column, out var value))
        {
            return value;
        }

        if (_preImage is not null && _preImage.Attributes.TryGetValue(column, out var previous))
        {
            return previous;
        }

        return null;
    }

    public T? Get<T>(string column)
        where T : class => Value(column) as T;
}
