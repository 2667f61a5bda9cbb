namespace Microsoft.Xrm.Sdk.PluginTelemetry;

/// <summary>
/// The plug-in telemetry logger. The stand-in declares the members whose signatures use only types it
/// also declares; the LogLevel and EventId overloads are left out because those two types are not in the
/// reference surface (xrm-sdk-api.txt).
/// </summary>
public interface ILogger
{
    IDisposable BeginScope<TState>(TState state);

    IDisposable BeginScope(string messageFormat, params object[] args);

    void LogCritical(Exception exception, string message, params object[] args);

    void LogCritical(string message, params object[] args);

    void LogDebug(Exception exception, string message, params object[] args);

    void LogDebug(string message, params object[] args);

    void LogError(Exception exception, string message, params object[] args);

    void LogError(string message, params object[] args);

    void LogInformation(Exception exception, string message, params object[] args);

    void LogInformation(string message, params object[] args);

    void LogTrace(Exception exception, string message, params object[] args);

    void LogTrace(string message, params object[] args);

    void LogWarning(Exception exception, string message, params object[] args);

    void LogWarning(string message, params object[] args);

    void LogMetric(string metricName, long value);

    void LogMetric(string metricName, IDictionary<string, string> metricDimensions, long value);

    void AddCustomProperty(string propertyName, string propertyValue);

    void Execute(string activityName, Action action, IEnumerable<KeyValuePair<string, string>> additionalCustomProperties);

    Task ExecuteAsync(string activityName, Func<Task> action, IEnumerable<KeyValuePair<string, string>> additionalCustomProperties);
}
