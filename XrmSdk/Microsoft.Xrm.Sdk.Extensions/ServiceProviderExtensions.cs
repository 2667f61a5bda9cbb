namespace Microsoft.Xrm.Sdk.Extensions;

/// <summary>
/// Typed access to the plug-in's service provider. Behaviour as in the official 9.0.2.x assembly (probed side
/// by side, see XrmSdk/README.md): Get&lt;T&gt; casts GetService(typeof(T)) and so returns null for a service
/// the provider lacks; GetOrganizationService passes the id as given (Guid.Empty stays Guid.Empty, it is not
/// turned into null) to the provider's IOrganizationServiceFactory; a null provider, or a provider without a
/// factory, ends in NullReferenceException.
/// </summary>
public static class ServiceProviderExtensions
{
    public static T Get<T>(this IServiceProvider serviceProvider)
    {
        return (T)serviceProvider.GetService(typeof(T));
    }

    public static IOrganizationService GetOrganizationService(this IServiceProvider serviceProvider, Guid id)
    {
        return serviceProvider.Get<IOrganizationServiceFactory>().CreateOrganizationService(id);
    }
}
