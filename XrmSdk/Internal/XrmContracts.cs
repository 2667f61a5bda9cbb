namespace PartnerGuard.XrmSdk.Internal;

/// <summary>The data-contract namespaces the official assembly gives its types, by the SDK version that added them.</summary>
internal static class XrmContracts
{
    public const string Namespace2011 = "http://schemas.microsoft.com/xrm/2011/Contracts";

    /// <summary>The namespace of the Microsoft.Crm.Sdk.Messages types.</summary>
    public const string CrmNamespace2011 = "http://schemas.microsoft.com/crm/2011/Contracts";

    public const string Namespace71 = "http://schemas.microsoft.com/xrm/7.1/Contracts";

    public const string Namespace2012 = "http://schemas.microsoft.com/xrm/2012/Contracts";

    public const string Namespace90 = "http://schemas.microsoft.com/xrm/9.0/Contracts";
}
