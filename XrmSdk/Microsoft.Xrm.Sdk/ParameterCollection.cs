namespace Microsoft.Xrm.Sdk;

public class ParameterCollection : DataCollection<string, object>
{
    public ParameterCollection()
    {
    }

    /// <summary>Sets the key only when the value is not null; a null value leaves the collection unchanged.</summary>
    public void AddOrUpdateIfNotNull(string key, object obj)
    {
        if (obj != null)
        {
            this[key] = obj;
        }
    }

    /// <summary>True only when the key is present and its value is a T.</summary>
    public bool TryGetValue<T>(string key, out T value)
    {
        if (base.TryGetValue(key, out object raw) && raw is T typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }
}
