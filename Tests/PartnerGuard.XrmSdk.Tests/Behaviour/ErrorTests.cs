using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.XrmSdk.Tests.Behaviour;

public sealed class ErrorTests
{
    [Fact]
    public void InvalidPluginExecutionException_MessageConstructor()
    {
        var error = new InvalidPluginExecutionException("A partner is required.");

        Assert.Equal("A partner is required.", error.Message);
        Assert.Equal(OperationStatus.Failed, error.Status);
        Assert.Equal(PluginHttpStatusCode.NotSet, error.HttpStatus);
    }

    [Fact]
    public void InvalidPluginExecutionException_StatusCodeAndHttpStatus_AreStored()
    {
        var error = new InvalidPluginExecutionException(OperationStatus.Canceled, 1234, "Blocked", PluginHttpStatusCode.Conflict);

        Assert.Equal(OperationStatus.Canceled, error.Status);
        Assert.Equal(1234, error.ErrorCode);
        Assert.Equal("Blocked", error.Message);
        Assert.Equal(PluginHttpStatusCode.Conflict, error.HttpStatus);
    }

    [Fact]
    public void InvalidPluginExecutionException_OtherConstructors_StoreTheirArguments()
    {
        var inner = new InvalidOperationException("inner");

        Assert.Same(inner, new InvalidPluginExecutionException("outer", inner).InnerException);
        Assert.Equal(OperationStatus.Retry, new InvalidPluginExecutionException(OperationStatus.Retry).Status);
        Assert.Equal("m", new InvalidPluginExecutionException(OperationStatus.Suspended, "m").Message);
        Assert.Equal(7, new InvalidPluginExecutionException(OperationStatus.Failed, 7, "m").ErrorCode);
        Assert.Equal(PluginHttpStatusCode.Forbidden, new InvalidPluginExecutionException("m", PluginHttpStatusCode.Forbidden).HttpStatus);
    }

    [Fact]
    public void InvalidPluginExecutionException_ExceptionDetails_ExposeTheGivenDictionary()
    {
        var details = new Dictionary<string, string> { ["rule"] = "PG-001" };

        var withHttp = new InvalidPluginExecutionException("m", PluginHttpStatusCode.BadRequest, details);
        var plain = new InvalidPluginExecutionException("m", details);
        var withStatus = new InvalidPluginExecutionException(OperationStatus.Failed, "m", details);

        Assert.Equal("PG-001", withHttp.ExceptionDetails["rule"]);
        Assert.Equal(PluginHttpStatusCode.BadRequest, withHttp.HttpStatus);
        Assert.Equal("PG-001", plain.ExceptionDetails["rule"]);
        Assert.Equal("PG-001", withStatus.ExceptionDetails["rule"]);
    }

    // Official behaviour (probe against the official 9.0.2.56 assembly, XrmSdk/README.md): ToString lists the
    // status and HTTP status, then the details, then each inner exception; the message is not part of it. The
    // previous test expected the message in it, which was the stand-in's behaviour, not the official one.
    [Fact]
    public void InvalidPluginExecutionException_ToString_IsStatusHttpStatusDetailsAndInnerExceptions()
    {
        string nl = Environment.NewLine;
        Assert.Equal(
            "_status: Failed" + nl + "_httpStatusCode: NotSet" + nl,
            new InvalidPluginExecutionException("A partner is required.").ToString());
        Assert.Equal(
            "_status: Canceled" + nl + "_httpStatusCode: Conflict" + nl,
            new InvalidPluginExecutionException(OperationStatus.Canceled, 7, "m", PluginHttpStatusCode.Conflict).ToString());
        Assert.Equal(
            "_status: Failed" + nl + "_httpStatusCode: NotSet" + nl + "Exception Details:" + nl + "rule: PG-001" + nl,
            new InvalidPluginExecutionException("m", new Dictionary<string, string> { ["rule"] = "PG-001" }).ToString());
        Assert.Equal(
            "_status: Failed" + nl + "_httpStatusCode: NotSet" + nl + "InnerException: System.InvalidOperationException: inner" + nl,
            new InvalidPluginExecutionException("m", new InvalidOperationException("inner")).ToString());
    }

    // Fact (sdk-and-pipeline-notes.md §3.3): clients receive service errors as
    // System.ServiceModel.FaultException<OrganizationServiceFault>, whose Detail is the fault; the stand-in's
    // OrganizationServiceFault must be usable as TDetail (System.ServiceModel.Primitives on modern .NET).
    [Fact]
    public void OrganizationServiceFault_WorksAsFaultExceptionDetail()
    {
        var fault = new OrganizationServiceFault
        {
            ErrorCode = -2147220891,
            Message = "A partner is required.",
            InnerFault = new OrganizationServiceFault { TraceText = "trace" },
        };
        fault.ErrorDetails["rule"] = "PG-001";

        var thrown = Assert.Throws<FaultException<OrganizationServiceFault>>(() => Raise(fault));

        Assert.Same(fault, thrown.Detail);
        Assert.Equal(-2147220891, thrown.Detail.ErrorCode);
        Assert.Equal("A partner is required.", thrown.Message);
        Assert.Equal("PG-001", thrown.Detail.ErrorDetails["rule"]);
        Assert.Equal("trace", thrown.Detail.InnerFault.TraceText);
    }

    private static void Raise(OrganizationServiceFault fault) =>
        throw new FaultException<OrganizationServiceFault>(fault, new FaultReason(fault.Message));
}
