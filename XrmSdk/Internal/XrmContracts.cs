namespace PartnerGuard.XrmSdk.Internal;

/// <summary>The data-contract namespace the official assembly gives its 2011-era types.</summary>
internal static class XrmContracts
{
    public const string Namespace2011 = "http://schemas.microsoft.com/xrm/2011/Contracts";
}
