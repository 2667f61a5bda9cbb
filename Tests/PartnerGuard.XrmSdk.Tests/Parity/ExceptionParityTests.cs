using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>
/// Official behaviour of InvalidPluginExecutionException and OrganizationServiceFault. Every expectation in the
/// Parity folder was established by running the same probe against the official Microsoft.Xrm.Sdk and
/// Microsoft.Crm.Sdk.Proxy of CoreAssemblies 9.0.2.56 (lib/net462, loaded on .NET 10) and against the stand-in,
/// and comparing the printed results (XrmSdk/README.md, "Checked against the official SDK").
/// </summary>
public sealed class ExceptionParityTests
{
    private const int ExceptionHResult = -2146233088; // COR_E_EXCEPTION, System.Exception's HResult

    [Fact]
    public void ErrorCode_IsTheHResult_WhichAGivenCodeReplaces()
    {
        Assert.Equal(ExceptionHResult, new InvalidPluginExecutionException().ErrorCode);
        Assert.Equal(ExceptionHResult, new InvalidPluginExecutionException("m").ErrorCode);
        Assert.Equal(ExceptionHResult, new InvalidPluginExecutionException(OperationStatus.Retry, "m").ErrorCode);
        Assert.Equal(ExceptionHResult, new InvalidPluginExecutionException("m", new InvalidOperationException()).ErrorCode);

        var coded = new InvalidPluginExecutionException(OperationStatus.Failed, 42, "m", PluginHttpStatusCode.Conflict);
        Assert.Equal(42, coded.ErrorCode);
        Assert.Equal(42, coded.HResult);
    }

    [Fact]
    public void ExceptionDetails_IsAnEmptyDictionary_UnlessADictionaryIsGiven()
    {
        Assert.Empty(new InvalidPluginExecutionException().ExceptionDetails);
        Assert.Empty(new InvalidPluginExecutionException("m").ExceptionDetails);
        Assert.Empty(new InvalidPluginExecutionException(OperationStatus.Retry).ExceptionDetails);
        Assert.Empty(new InvalidPluginExecutionException(OperationStatus.Retry, 3, "m").ExceptionDetails);
        Assert.Empty(new InvalidPluginExecutionException("m", PluginHttpStatusCode.BadRequest).ExceptionDetails);
        Assert.Empty(new InvalidPluginExecutionException("m", new InvalidOperationException()).ExceptionDetails);
        Assert.IsType<Dictionary<string, string>>(new InvalidPluginExecutionException().ExceptionDetails);
    }

    [Fact]
    public void ExceptionDetails_KeepsTheGivenDictionary_AndNullStaysNull()
    {
        var details = new Dictionary<string, string> { ["rule"] = "PG-001" };
        var error = new InvalidPluginExecutionException("m", details);
        details["later"] = "x";

        Assert.Same(details, error.ExceptionDetails);
        Assert.Equal(2, error.ExceptionDetails.Count);
        Assert.Null(new InvalidPluginExecutionException("m", (Dictionary<string, string>?)null).ExceptionDetails);
        Assert.Null(new InvalidPluginExecutionException("m", PluginHttpStatusCode.BadRequest, null).ExceptionDetails);
        Assert.Null(new InvalidPluginExecutionException(OperationStatus.Failed, "m", null).ExceptionDetails);
    }

    [Fact]
    public void StatusOnlyConstructor_LeavesAnEmptyMessage_AndDefaultsAreFailedAndNotSet()
    {
        var error = new InvalidPluginExecutionException(OperationStatus.Retry);

        Assert.Equal(string.Empty, error.Message);
        Assert.Equal(OperationStatus.Retry, error.Status);
        Assert.Equal(OperationStatus.Failed, new InvalidPluginExecutionException("m").Status);
        Assert.Equal(PluginHttpStatusCode.NotSet, new InvalidPluginExecutionException("m").HttpStatus);
        Assert.Equal("Exception of type 'Microsoft.Xrm.Sdk.InvalidPluginExecutionException' was thrown.", new InvalidPluginExecutionException().Message);
        Assert.Equal("Exception of type 'Microsoft.Xrm.Sdk.InvalidPluginExecutionException' was thrown.", new InvalidPluginExecutionException((string?)null).Message);
    }

    [Fact]
    public void ToString_ListsEveryInnerExceptionDownTheChain()
    {
        string nl = Environment.NewLine;
        var inner = new InvalidOperationException("in", new FormatException("deep"));

        string text = new InvalidPluginExecutionException("m", inner).ToString();

        Assert.Equal(
            "_status: Failed" + nl + "_httpStatusCode: NotSet" + nl
                + "InnerException: " + inner + nl
                + "InnerException: System.FormatException: deep" + nl,
            text);
    }

    [Fact]
    public void Exception_IsMarkedSerializable_AndSerializesStatusAndHttpStatus()
    {
#pragma warning disable SYSLIB0050, SYSLIB0051 // formatter-based serialization, checked as the official type does it
        Assert.True(typeof(InvalidPluginExecutionException).IsSerializable);
        var info = new System.Runtime.Serialization.SerializationInfo(typeof(InvalidPluginExecutionException), new System.Runtime.Serialization.FormatterConverter());
        new InvalidPluginExecutionException(OperationStatus.Retry, 9, "m", PluginHttpStatusCode.Conflict).GetObjectData(info, default);
#pragma warning restore SYSLIB0050, SYSLIB0051

        Assert.Equal(OperationStatus.Retry, info.GetValue("Status", typeof(OperationStatus)));
        Assert.Equal(PluginHttpStatusCode.Conflict, info.GetValue("HttpStatus", typeof(PluginHttpStatusCode)));
        Assert.Equal(9, info.GetInt32("HResult"));
    }

    [Fact]
    public void OrganizationServiceFault_ToString_ListsCodeMessageAndTimestamp_ThenTheInnerFault()
    {
        string nl = Environment.NewLine;
        var fault = new OrganizationServiceFault
        {
            ErrorCode = unchecked((int)0x80040220),
            Message = "m",
            TraceText = "not shown",
            Timestamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            InnerFault = new OrganizationServiceFault { ErrorCode = 2, Message = "i" },
        };
        fault.ErrorDetails["k"] = "not shown";

        Assert.Equal(
            "Exception details: " + nl + "ErrorCode: 0x80040220" + nl + "Message: m" + nl + "TimeStamp: 2020-01-02T03:04:05.0000000Z" + nl + "--" + nl
                + "Exception details: " + nl + "ErrorCode: 0x2" + nl + "Message: i" + nl + "TimeStamp: 0001-01-01T00:00:00.0000000Z" + nl + "--" + nl,
            fault.ToString());
    }
}
