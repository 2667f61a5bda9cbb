using System.Collections;

#pragma warning disable CA1822, CA1711, CA1716 // Sample shapes for the checker tests; members exist only to be reflected over.

namespace PartnerGuard.XrmSdk.Tests.Surface.Samples;

public sealed class Row
{
    public static readonly Row Empty = new("empty");

    public Row(string name)
    {
        Name = name;
    }

    public string Name { get; set; }

    public int this[string key] => key.Length;

    public bool TryGet(string key, out int value)
    {
        value = key.Length;
        return true;
    }

    public T Read<T>(string key) => default!;

    public override bool Equals(object? obj) => obj is Row other && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    internal void InternalHelper()
    {
    }
}

public sealed class RowWithExtraMethod
{
    public static readonly RowWithExtraMethod Empty = new("empty");

    public RowWithExtraMethod(string name)
    {
        Name = name;
    }

    public string Name { get; set; }

    public int this[string key] => key.Length;

    public bool TryGet(string key, out int value)
    {
        value = key.Length;
        return true;
    }

    public T Read<T>(string key) => default!;

    public void Extra()
    {
    }

    public override bool Equals(object? obj) => obj is RowWithExtraMethod other && other.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

public class OpenRow
{
    protected void OnChanged(string name)
    {
    }
}

public sealed class Widened
{
    public string Name { get; set; } = string.Empty;

    public void Put(string key)
    {
    }

    public void Put(string key, int count)
    {
    }
}

public sealed class NoOut
{
    public bool TryGet(string key, int value) => key.Length == value;
}

public abstract class Bag<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items = [];

    internal Bag()
    {
    }

    public void Add(TKey key, TValue value) => _items.Add(key, value);

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public sealed class DictionaryLike : Bag<string, object>, IDisposable
{
    public DictionaryLike()
    {
    }

    void IDisposable.Dispose()
    {
    }
}

public enum Shade
{
    Light = 0,
    Dark = 7,
}

public interface IParent
{
    void Run(params object[] args);
}

public interface IChild : IParent
{
    Guid? Id { get; }
}
