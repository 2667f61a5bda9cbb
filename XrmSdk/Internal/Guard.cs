namespace PartnerGuard.XrmSdk.Internal;

internal static class Guard
{
    public static void NotNullOrWhiteSpace(string value, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentNullException(parameterName);
        }
    }
}
