namespace Microsoft.Xrm.Sdk.Extensions;

/// <summary>
/// Reading a plug-in's input parameters. As in the official 9.0.2.x assembly (probed side by side, see
/// XrmSdk/README.md): the value when the parameter is present and of type T, otherwise default(T) (absent,
/// null or of another type); a null name throws ArgumentNullException, a null context NullReferenceException.
/// </summary>
public static class ContextExtensions
{
    public static T InputParameterOrDefault<T>(this IPluginExecutionContext context, string parameterName)
    {
        return context.InputParameters.TryGetValue(parameterName, out T value) ? value : default;
    }
}
