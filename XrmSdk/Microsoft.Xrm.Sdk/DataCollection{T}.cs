using System.Collections.ObjectModel;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// A list. As in the official 9.0.2.x assembly (probed side by side, see XrmSdk/README.md): a collection built
/// from a list or array copies its items (later changes to either side stay apart; one built from an array
/// still grows), one built from null starts empty, and AddRange(null) adds nothing.
/// </summary>
[Serializable]
public class DataCollection<T> : Collection<T>
{
    internal DataCollection()
    {
    }

    internal DataCollection(IList<T> list)
        : base(list == null ? new List<T>() : new List<T>(list))
    {
    }

    public void AddRange(params T[] items)
    {
        AddRange((IEnumerable<T>)items);
    }

    public void AddRange(IEnumerable<T> items)
    {
        if (items == null)
        {
            return;
        }

        foreach (T item in items)
        {
            Add(item);
        }
    }

    public T[] ToArray()
    {
        var array = new T[Count];
        CopyTo(array, 0);
        return array;
    }
}
