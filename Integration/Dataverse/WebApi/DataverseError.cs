using System.Net;

namespace PartnerGuard.Integration.Dataverse.WebApi;

/// <summary>
/// A Dataverse error payload <c>{"error":{"code":"0x80040217","message":"…"}}</c> (webapi-notes §6.1),
/// with the HTTP status it came with. <see cref="Code"/> may be empty for OData-level errors.
/// </summary>
internal sealed record DataverseError(HttpStatusCode Status, string Code, string Message, int? SubErrorCode = null)
{
    /// <summary>IsvAborted: a plug-in threw InvalidPluginExecutionException (webapi-notes §6.3).</summary>
    public const string PluginAborted = "0x80040265";

    /// <summary>ObjectDoesNotExist: the record id was not found.</summary>
    public const string ObjectDoesNotExist = "0x80040217";

    public bool IsThrottling => Status == (HttpStatusCode)429
        || Code is "0x80072322" or "0x80072321" or "0x80072326";

    public bool IsNotFound => Status == HttpStatusCode.NotFound || Code == ObjectDoesNotExist;

    public bool IsAuthentication => Status is HttpStatusCode.Unauthorized;

    public bool IsPluginMessage => Code == PluginAborted;

    public override string ToString() =>
        Code.Length == 0 ? $"HTTP {(int)Status}: {Message}" : $"HTTP {(int)Status} {Code}: {Message}";
}
