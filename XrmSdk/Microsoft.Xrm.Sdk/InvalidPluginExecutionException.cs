using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// The exception a plug-in throws to cancel the operation and show its message to the user.
/// ExceptionDetails is the dictionary given to the constructor, or null when none was given.
/// </summary>
public sealed class InvalidPluginExecutionException : Exception
{
    public InvalidPluginExecutionException()
    {
    }

    public InvalidPluginExecutionException(OperationStatus status)
        : this()
    {
        Status = status;
    }

    public InvalidPluginExecutionException(string message)
        : base(message)
    {
    }

    public InvalidPluginExecutionException(OperationStatus status, string message)
        : this(message)
    {
        Status = status;
    }

    public InvalidPluginExecutionException(string message, Exception exception)
        : base(message, exception)
    {
    }

    public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
        : this(status, message)
    {
        ErrorCode = errorCode;
    }

    public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus)
        : this(message)
    {
        HttpStatus = httpStatus;
    }

    public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus, Dictionary<string, string> exceptionDetails)
        : this(message, httpStatus)
    {
        ExceptionDetails = exceptionDetails;
    }

    public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus)
        : this(status, errorCode, message)
    {
        HttpStatus = httpStatus;
    }

    public InvalidPluginExecutionException(string message, Dictionary<string, string> exceptionDetails)
        : this(message)
    {
        ExceptionDetails = exceptionDetails;
    }

    public InvalidPluginExecutionException(OperationStatus status, string message, Dictionary<string, string> exceptionDetails)
        : this(status, message)
    {
        ExceptionDetails = exceptionDetails;
    }

    public OperationStatus Status { get; }

    public int ErrorCode { get; }

    public PluginHttpStatusCode HttpStatus { get; }

    public IReadOnlyDictionary<string, string> ExceptionDetails { get; }

#if NET
    [Obsolete("Formatter-based serialization is obsolete on modern .NET.", DiagnosticId = "SYSLIB0051")]
#endif
    public override void GetObjectData(SerializationInfo info, StreamingContext context)
    {
        if (info == null)
        {
            throw new ArgumentNullException(nameof(info));
        }

        base.GetObjectData(info, context);
        info.AddValue(nameof(Status), (int)Status);
        info.AddValue(nameof(ErrorCode), ErrorCode);
        info.AddValue(nameof(HttpStatus), (int)HttpStatus);
    }

    /// <summary>Declared because the official type overrides it; returns the standard exception text.</summary>
    public override string ToString() => base.ToString();
}
