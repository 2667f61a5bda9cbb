using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Internal;

/// <summary>Typed access to a request's Parameters or a response's Results: an absent key reads as default(T).</summary>
internal static class ParameterBag
{
    public static T Get<T>(ParameterCollection bag, string key)
    {
        return bag.TryGetValue(key, out object value) && value != null ? (T)value : default;
    }
}
