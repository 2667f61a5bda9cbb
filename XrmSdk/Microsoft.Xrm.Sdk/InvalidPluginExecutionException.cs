using System.Runtime.Serialization;
using System.Text;

namespace Microsoft.Xrm.Sdk;

/// <summary>
/// The exception a plug-in throws to cancel the operation and show its message to the user. Behaviour
/// matches the official 9.0.2.x assembly (probed side by side, see XrmSdk/README.md): ErrorCode is the
/// exception's HResult (the -2146233088 of System.Exception unless a code is given, which then becomes the
/// HResult); ExceptionDetails is the dictionary given to the constructor (kept by reference, null if null
/// is passed) and a new empty dictionary for every constructor that takes none; the status-only constructor
/// leaves an empty Message; ToString lists status, HTTP status, details and the inner exception.
/// </summary>
[Serializable]
public sealed class InvalidPluginExecutionException : Exception
{
    private readonly Dictionary<string, string> _exceptionDetails;

    public InvalidPluginExecutionException()
    {
        _exceptionDetails = new Dictionary<string, string>();
    }

    public InvalidPluginExecutionException(OperationStatus status)
        : this(status, string.Empty)
    {
    }

    public InvalidPluginExecutionException(string message)
        : base(message)
    {
        _exceptionDetails = new Dictionary<string, string>();
    }

    public InvalidPluginExecutionException(OperationStatus status, string message)
        : this(message)
    {
        Status = status;
    }

    public InvalidPluginExecutionException(string message, Exception exception)
        : base(message, exception)
    {
        _exceptionDetails = new Dictionary<string, string>();
    }

    public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
        : this(status, message)
    {
        HResult = errorCode;
    }

    public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus)
        : this(message)
    {
        HttpStatus = httpStatus;
    }

    public InvalidPluginExecutionException(string message, PluginHttpStatusCode httpStatus, Dictionary<string, string> exceptionDetails)
        : base(message)
    {
        HttpStatus = httpStatus;
        _exceptionDetails = exceptionDetails;
    }

    public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message, PluginHttpStatusCode httpStatus)
        : this(status, errorCode, message)
    {
        HttpStatus = httpStatus;
    }

    public InvalidPluginExecutionException(string message, Dictionary<string, string> exceptionDetails)
        : base(message)
    {
        _exceptionDetails = exceptionDetails;
    }

    public InvalidPluginExecutionException(OperationStatus status, string message, Dictionary<string, string> exceptionDetails)
        : base(message)
    {
        Status = status;
        _exceptionDetails = exceptionDetails;
    }

#if NET
    [Obsolete("Formatter-based serialization is obsolete on modern .NET.", DiagnosticId = "SYSLIB0051")]
#endif
    private InvalidPluginExecutionException(SerializationInfo info, StreamingContext context)
        : base(info, context)
    {
        Status = (OperationStatus)info.GetValue(nameof(Status), typeof(OperationStatus));
        HttpStatus = (PluginHttpStatusCode)info.GetValue(nameof(HttpStatus), typeof(PluginHttpStatusCode));
        _exceptionDetails = new Dictionary<string, string>();
    }

    public OperationStatus Status { get; }

    /// <summary>The exception's HResult.</summary>
    public int ErrorCode => HResult;

    public PluginHttpStatusCode HttpStatus { get; }

    public IReadOnlyDictionary<string, string> ExceptionDetails => _exceptionDetails;

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
        info.AddValue(nameof(Status), Status);
        info.AddValue(nameof(HttpStatus), HttpStatus);
    }

    /// <summary>
    /// The official text: "_status: ", "_httpStatusCode: ", then "Exception Details:" with one "key: value"
    /// line each when there are any, then one "InnerException: " line with ToString() of each exception down the inner chain. The
    /// message itself and the stack trace are not part of it.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("_status: ").Append(Status).AppendLine();
        text.Append("_httpStatusCode: ").Append(HttpStatus).AppendLine();
        if (_exceptionDetails != null && _exceptionDetails.Count > 0)
        {
            text.AppendLine("Exception Details:");
            foreach (KeyValuePair<string, string> detail in _exceptionDetails)
            {
                text.Append(detail.Key).Append(": ").Append(detail.Value).AppendLine();
            }
        }

        for (Exception inner = InnerException; inner != null; inner = inner.InnerException)
        {
            text.Append("InnerException: ").Append(inner.ToString()).AppendLine();
        }

        return text.ToString();
    }
}
