using System.Collections;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// A keyed bag (attributes, parameters, images). Deliberately not an IDictionary, like the official type:
/// code must not depend on dictionary interfaces the official collection does not implement.
/// </summary>
[Serializable]
public abstract class DataCollection<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
{
    private readonly Dictionary<TKey, TValue> _items = new Dictionary<TKey, TValue>();

    internal DataCollection()
    {
    }

    /// <summary>Get throws KeyNotFoundException for a missing key; set adds or overwrites.</summary>
    public virtual TValue this[TKey key]
    {
        get => _items[key];
        set
        {
            ThrowIfReadOnly();
            _items[key] = value;
        }
    }

    public int Count => _items.Count;

    public ICollection<TKey> Keys => _items.Keys;

    public ICollection<TValue> Values => _items.Values;

    public virtual bool IsReadOnly => false;

    public void Add(KeyValuePair<TKey, TValue> item)
    {
        Add(item.Key, item.Value);
    }

    public void AddRange(params KeyValuePair<TKey, TValue>[] items)
    {
        AddRange((IEnumerable<KeyValuePair<TKey, TValue>>)items);
    }

    public void AddRange(IEnumerable<KeyValuePair<TKey, TValue>> items)
    {
        if (items == null)
        {
            throw new ArgumentNullException(nameof(items));
        }

        foreach (KeyValuePair<TKey, TValue> item in items)
        {
            Add(item.Key, item.Value);
        }
    }

    /// <summary>Adds a new key; throws ArgumentException when the key is already present.</summary>
    public void Add(TKey key, TValue value)
    {
        ThrowIfReadOnly();
        _items.Add(key, value);
    }

    public void Clear()
    {
        ThrowIfReadOnly();
        _items.Clear();
    }

    public bool Contains(TKey key) => _items.ContainsKey(key);

    public bool Contains(KeyValuePair<TKey, TValue> key) => ((ICollection<KeyValuePair<TKey, TValue>>)_items).Contains(key);

    public bool TryGetValue(TKey key, out TValue value) => _items.TryGetValue(key, out value);

    public void CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex)
    {
        ((ICollection<KeyValuePair<TKey, TValue>>)_items).CopyTo(array, arrayIndex);
    }

    public bool ContainsKey(TKey key) => _items.ContainsKey(key);

    public bool Remove(TKey key)
    {
        ThrowIfReadOnly();
        return _items.Remove(key);
    }

    public bool Remove(KeyValuePair<TKey, TValue> item)
    {
        ThrowIfReadOnly();
        return ((ICollection<KeyValuePair<TKey, TValue>>)_items).Remove(item);
    }

    public virtual IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            throw new InvalidOperationException("The collection " + GetType().Name + " is read-only.");
        }
    }
}
