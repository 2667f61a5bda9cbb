using System.Globalization;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>
/// An error answered in Dataverse's Web API shape: an HTTP status and <c>{"error":{"code":"0x…","message":…}}</c>
/// ("Compose HTTP requests and handle errors", learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
/// </summary>
internal sealed class WebApiException : Exception
{
    public WebApiException(int status, string code, string message, OrganizationServiceFault? fault = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Fault = fault;
    }

    public int Status { get; }

    /// <summary>The hex code (<c>0x80040265</c>), or <c>0x0</c> for OData-level errors.</summary>
    public string Code { get; }

    /// <summary>The platform fault behind the error, when there is one (for ErrorDetails annotations).</summary>
    public OrganizationServiceFault? Fault { get; }

    /// <summary>Dataverse's code for payload (request body) errors, e.g. an undeclared or wrong-case navigation property.</summary>
    public const string PayloadErrorCode = "0x80048d19";

    /// <summary>Dataverse's code for an unknown resource segment (entity set, function) in the URL.</summary>
    public const string ResourceNotFoundCode = "0x80060888";

    /// <summary>The code OData-level errors carry (bad $select/$filter): observed as "0x0" in Dataverse responses.</summary>
    public const string ODataCode = "0x0";

    public static WebApiException BadRequest(string message, string code = ODataCode) => new(400, code, message);

    public static WebApiException Payload(string entitySet, string detail) => new(400, PayloadErrorCode,
        $"Error identified in Payload provided by the user for Entity :'{entitySet}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : Microsoft.OData.ODataException: {detail}");

    public static WebApiException NotFoundSegment(string segment) => new(404, ResourceNotFoundCode, $"Resource not found for the segment '{segment}'.");

    public static string Hex(int errorCode) => "0x" + unchecked((uint)errorCode).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The HTTP status Dataverse answers a platform fault with.</summary>
    public static WebApiException FromFault(OrganizationServiceFault fault)
    {
        var status = fault.ErrorCode switch
        {
            OrgErrorCodes.ObjectDoesNotExist => 404,
            OrgErrorCodes.ConcurrencyVersionMismatch => 412,
            OrgErrorCodes.DuplicateRecord => 412,
            PrivilegeDenied => 403,
            OrgErrorCodes.AccessCheckFailed => 403,
            _ => 400,
        };
        return new WebApiException(status, Hex(fault.ErrorCode), fault.Message ?? "The request failed.", fault);
    }

    public static WebApiException FromFault(FaultException<OrganizationServiceFault> fault) => FromFault(fault.Detail);

    /// <summary>PrivilegeDenied (0x80040220).</summary>
    public const int PrivilegeDenied = -2147220960;
}
